#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#LoginGraceTime 60\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'LoginGraceTime 0\n' >> etc/ssh/sshd_config
