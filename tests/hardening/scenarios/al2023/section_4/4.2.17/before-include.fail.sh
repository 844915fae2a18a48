#!/usr/bin/env bash
# Trap: a value above the Include line beats every drop-in.
sed -i '0,/^Include/s//MaxStartups 10:30:100\nInclude/' etc/ssh/sshd_config
printf 'MaxStartups 10:30:60\n' > etc/ssh/sshd_config.d/20-site.conf
