#!/usr/bin/env bash
printf 'HostbasedAuthentication no\n' > etc/ssh/sshd_config.d/20-site.conf
