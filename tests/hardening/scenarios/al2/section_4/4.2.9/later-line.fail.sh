#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i GSSAPIAuthentication yes' etc/ssh/sshd_config
printf 'GSSAPIAuthentication no\n' >> etc/ssh/sshd_config
