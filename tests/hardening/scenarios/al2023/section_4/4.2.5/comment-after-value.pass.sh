#!/usr/bin/env bash
# A word starting with # ends the line for OpenSSH 8.x (argv_split).
printf 'LogLevel VERBOSE # the auditors want VERBOSE\n' > etc/ssh/sshd_config.d/20-site.conf
