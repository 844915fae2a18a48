#!/usr/bin/env bash
# Trap: sshd takes the first value; the strong list at the end is never read.
sed -i '1i MACs hmac-sha2-256,umac-64@openssh.com' etc/ssh/sshd_config
printf 'MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com\n' >> etc/ssh/sshd_config
