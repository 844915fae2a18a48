#!/usr/bin/env bash
# Trap: the first assignment is fine, a later one runs it as root.
printf 'OPTIONS="-u chrony"\nOPTIONS="-F 2 -u root"\n' > etc/sysconfig/chronyd
