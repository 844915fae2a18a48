#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i IgnoreRhosts no' etc/ssh/sshd_config
printf 'IgnoreRhosts yes\n' >> etc/ssh/sshd_config
