#!/usr/bin/env bash
# Trap: one weak algorithm in the middle of an otherwise strong list.
sed -i '1i MACs hmac-sha2-256,umac-64@openssh.com' etc/ssh/sshd_config
