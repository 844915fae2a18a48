#!/usr/bin/env bash
printf 'PermitRootLogin no\n' > etc/ssh/sshd_config.d/20-site.conf
