#!/usr/bin/env bash
# Trap: the interval is set but ClientAliveCountMax 0 disables the timeout.
printf "ClientAliveInterval 15\nClientAliveCountMax 0\n" > etc/ssh/sshd_config.d/20-site.conf
