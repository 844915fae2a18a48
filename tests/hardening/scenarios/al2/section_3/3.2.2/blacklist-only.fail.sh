#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe tipc` load it.
printf 'blacklist tipc\n' > etc/modprobe.d/tipc.conf
