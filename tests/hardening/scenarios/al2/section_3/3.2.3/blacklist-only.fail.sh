#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe rds` load it.
printf 'blacklist rds\n' > etc/modprobe.d/rds.conf
