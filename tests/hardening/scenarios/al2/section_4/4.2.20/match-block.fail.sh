#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i PermitRootLogin no' etc/ssh/sshd_config
printf 'Match User deploy\n    PermitRootLogin prohibit-password\n' >> etc/ssh/sshd_config
