#!/usr/bin/env bash
# Trap: `Match all` applies to every connection, and its value overrides the top-level one.
sed -i '1i PermitRootLogin no' etc/ssh/sshd_config
printf 'Match all\n    PermitRootLogin yes\n' >> etc/ssh/sshd_config
