#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#X11Forwarding no\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'X11Forwarding yes\n' >> etc/ssh/sshd_config
