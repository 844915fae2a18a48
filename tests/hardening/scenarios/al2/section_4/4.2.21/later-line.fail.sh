#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i PermitUserEnvironment yes' etc/ssh/sshd_config
printf 'PermitUserEnvironment no\n' >> etc/ssh/sshd_config
