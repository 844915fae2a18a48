#!/usr/bin/env bash
printf 'MaxStartups 10:30:60\n' > etc/ssh/sshd_config.d/20-site.conf
