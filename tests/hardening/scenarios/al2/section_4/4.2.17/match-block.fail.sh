#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i MaxSessions 10' etc/ssh/sshd_config
printf 'Match User deploy\n    MaxSessions 20\n' >> etc/ssh/sshd_config
