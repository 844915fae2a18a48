#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#MaxSessions 10\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'MaxSessions 20\n' >> etc/ssh/sshd_config
