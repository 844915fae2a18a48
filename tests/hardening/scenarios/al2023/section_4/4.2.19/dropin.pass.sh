#!/usr/bin/env bash
printf 'LoginGraceTime 60\n' > etc/ssh/sshd_config.d/20-site.conf
