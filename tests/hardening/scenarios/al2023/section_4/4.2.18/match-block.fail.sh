#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
printf 'MaxSessions 10\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match User deploy\n    MaxSessions 20\n' >> etc/ssh/sshd_config
