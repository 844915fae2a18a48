#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#MaxAuthTries 4\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'MaxAuthTries 6\n' >> etc/ssh/sshd_config
