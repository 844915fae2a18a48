#!/usr/bin/env bash
# Trap: a value above the Include line beats every drop-in.
sed -i '0,/^Include/s//PermitRootLogin yes\nInclude/' etc/ssh/sshd_config
printf 'PermitRootLogin no\n' > etc/ssh/sshd_config.d/20-site.conf
