#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i HostbasedAuthentication yes' etc/ssh/sshd_config
printf 'HostbasedAuthentication no\n' >> etc/ssh/sshd_config
