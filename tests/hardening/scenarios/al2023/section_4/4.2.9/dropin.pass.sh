#!/usr/bin/env bash
printf 'PermitEmptyPasswords no\n' > etc/ssh/sshd_config.d/20-site.conf
