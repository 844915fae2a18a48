#!/usr/bin/env bash
# Trap: sshd reads a quoted keyword, and this one comes before every drop-in.
sed -i '0,/^Include/s//"MaxAuthTries" 10\nInclude/' etc/ssh/sshd_config
printf 'MaxAuthTries 4\n' > etc/ssh/sshd_config.d/20-site.conf
