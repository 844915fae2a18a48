#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i Banner none' etc/ssh/sshd_config
printf 'Banner /etc/issue.net\n' >> etc/ssh/sshd_config
