#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i Banner /etc/issue.net' etc/ssh/sshd_config
printf 'Match User deploy\n    Banner none\n' >> etc/ssh/sshd_config
