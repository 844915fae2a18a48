#!/usr/bin/env bash
printf 'X11Forwarding no\n' > etc/ssh/sshd_config.d/20-site.conf
sed -i 's/^X11Forwarding yes/#X11Forwarding yes/' etc/ssh/sshd_config.d/50-redhat.conf
