#!/usr/bin/env bash
# Trap: `Match all` applies to every connection, and its value overrides the top-level one (sshd -T says yes).
printf 'PermitRootLogin no\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match all\n    PermitRootLogin yes\n' >> etc/ssh/sshd_config
