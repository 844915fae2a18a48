#!/usr/bin/env bash
# Trap: the interval is set but ClientAliveCountMax 0 disables the timeout.
sed -i '1i ClientAliveInterval 15\nClientAliveCountMax 0' etc/ssh/sshd_config
