#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#Banner /etc/issue.net\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Banner none\n' >> etc/ssh/sshd_config
