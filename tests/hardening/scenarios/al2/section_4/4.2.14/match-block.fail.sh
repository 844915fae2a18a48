#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i LogLevel VERBOSE' etc/ssh/sshd_config
printf 'Match User deploy\n    LogLevel QUIET\n' >> etc/ssh/sshd_config
