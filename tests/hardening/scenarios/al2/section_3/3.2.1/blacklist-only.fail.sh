#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe dccp` load it.
printf 'blacklist dccp\n' > etc/modprobe.d/dccp.conf
