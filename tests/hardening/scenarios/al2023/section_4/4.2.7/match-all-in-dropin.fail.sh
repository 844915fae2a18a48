#!/usr/bin/env bash
# Trap: a drop-in's own `Match all` block (it lasts to the end of that file) loosens it for every connection.
printf 'PermitRootLogin no\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match all\n    PermitRootLogin yes\n' > etc/ssh/sshd_config.d/30-all.conf
