#!/usr/bin/env bash
printf 'X11Forwarding no\n' > etc/ssh/sshd_config.d/20-site.conf
