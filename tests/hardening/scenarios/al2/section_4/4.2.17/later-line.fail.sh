#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i MaxSessions 20' etc/ssh/sshd_config
printf 'MaxSessions 10\n' >> etc/ssh/sshd_config
