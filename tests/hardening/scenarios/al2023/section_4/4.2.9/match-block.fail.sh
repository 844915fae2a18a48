#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
printf 'PermitEmptyPasswords no\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match User deploy\n    PermitEmptyPasswords yes\n' >> etc/ssh/sshd_config
