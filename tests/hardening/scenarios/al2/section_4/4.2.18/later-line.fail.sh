#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i MaxStartups 10:30:100' etc/ssh/sshd_config
printf 'MaxStartups 10:30:60\n' >> etc/ssh/sshd_config
