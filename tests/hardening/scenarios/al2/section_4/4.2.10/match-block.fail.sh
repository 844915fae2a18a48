#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i HostbasedAuthentication no' etc/ssh/sshd_config
printf 'Match User deploy\n    HostbasedAuthentication yes\n' >> etc/ssh/sshd_config
