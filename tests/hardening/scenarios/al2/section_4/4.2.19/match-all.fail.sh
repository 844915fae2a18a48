#!/usr/bin/env bash
# Trap: `Match all` applies to every connection, and its value overrides the top-level one.
sed -i '1i PermitEmptyPasswords no' etc/ssh/sshd_config
printf 'Match all\n    PermitEmptyPasswords yes\n' >> etc/ssh/sshd_config
