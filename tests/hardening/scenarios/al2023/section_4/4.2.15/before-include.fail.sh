#!/usr/bin/env bash
# Trap: a value above the Include line beats every drop-in.
sed -i '0,/^Include/s//Banner none\nInclude/' etc/ssh/sshd_config
printf 'Banner /etc/issue.net\n' > etc/ssh/sshd_config.d/20-site.conf
