#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
printf 'LoginGraceTime 60\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match User deploy\n    LoginGraceTime 0\n' >> etc/ssh/sshd_config
