#!/usr/bin/env bash
# Trap: commented out means postfix's default, all interfaces.
sed -i 's/^inet_interfaces/#inet_interfaces/' etc/postfix/main.cf
