#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
printf 'MaxAuthTries 4\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match User deploy\n    MaxAuthTries 6\n' >> etc/ssh/sshd_config
