#!/usr/bin/env bash
# A quoted keyword in any case: sshd reads MaxAuthTries 3 (after a quoted keyword "=" is not a separator).
sed -i '1i "maxauthtries" 3' etc/ssh/sshd_config
