#!/usr/bin/env bash
# Trap: the compliant line is commented out; the default or vendor value applies.
printf '#HostbasedAuthentication no\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'HostbasedAuthentication yes\n' >> etc/ssh/sshd_config
