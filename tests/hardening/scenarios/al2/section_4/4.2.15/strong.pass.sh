#!/usr/bin/env bash
sed -i '1i MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com' etc/ssh/sshd_config
