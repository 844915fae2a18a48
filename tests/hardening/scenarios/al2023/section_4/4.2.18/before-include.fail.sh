#!/usr/bin/env bash
# Trap: a value above the Include line beats every drop-in.
sed -i '0,/^Include/s//MaxSessions 20\nInclude/' etc/ssh/sshd_config
printf 'MaxSessions 10\n' > etc/ssh/sshd_config.d/20-site.conf
