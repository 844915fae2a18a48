#!/usr/bin/env bash
# Trap: a leading + appends to the compiled-in list, weak ones included.
sed -i '1i MACs +hmac-sha2-512-etm@openssh.com' etc/ssh/sshd_config
