#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i DisableForwarding no' etc/ssh/sshd_config
printf 'DisableForwarding yes\n' >> etc/ssh/sshd_config
