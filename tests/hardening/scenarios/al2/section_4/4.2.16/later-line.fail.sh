#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i MaxAuthTries 6' etc/ssh/sshd_config
printf 'MaxAuthTries 4\n' >> etc/ssh/sshd_config
