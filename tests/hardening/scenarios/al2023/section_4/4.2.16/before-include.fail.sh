#!/usr/bin/env bash
# Trap: a value above the Include line beats every drop-in.
sed -i '0,/^Include/s//MaxAuthTries 6\nInclude/' etc/ssh/sshd_config
printf 'MaxAuthTries 4\n' > etc/ssh/sshd_config.d/20-site.conf
