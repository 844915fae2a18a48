#!/usr/bin/env bash
# Trap: compliant globally, but a Match block loosens it for some connections.
sed -i '1i GSSAPIAuthentication no' etc/ssh/sshd_config
printf 'Match User deploy\n    GSSAPIAuthentication yes\n' >> etc/ssh/sshd_config
