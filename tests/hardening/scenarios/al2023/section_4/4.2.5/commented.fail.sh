#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#LogLevel VERBOSE\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'LogLevel QUIET\n' >> etc/ssh/sshd_config
