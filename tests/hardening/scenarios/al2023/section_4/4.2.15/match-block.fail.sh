#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
printf 'Banner /etc/issue.net\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match User deploy\n    Banner none\n' >> etc/ssh/sshd_config
