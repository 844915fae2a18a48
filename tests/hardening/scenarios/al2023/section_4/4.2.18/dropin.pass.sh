#!/usr/bin/env bash
printf 'MaxSessions 10\n' > etc/ssh/sshd_config.d/20-site.conf
