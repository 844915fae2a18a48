#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i IgnoreRhosts yes' etc/ssh/sshd_config
printf 'Match User deploy\n    IgnoreRhosts no\n' >> etc/ssh/sshd_config
