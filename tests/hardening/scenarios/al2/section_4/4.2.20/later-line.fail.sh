#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i PermitRootLogin prohibit-password' etc/ssh/sshd_config
printf 'PermitRootLogin no\n' >> etc/ssh/sshd_config
