#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i MaxAuthTries 4' etc/ssh/sshd_config
printf 'Match User deploy\n    MaxAuthTries 6\n' >> etc/ssh/sshd_config
