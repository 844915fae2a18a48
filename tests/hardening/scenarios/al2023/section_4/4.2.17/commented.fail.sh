#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#MaxStartups 10:30:60\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'MaxStartups 10:30:100\n' >> etc/ssh/sshd_config
