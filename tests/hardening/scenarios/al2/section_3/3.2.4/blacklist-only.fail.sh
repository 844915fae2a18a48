#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe sctp` load it.
printf 'blacklist sctp\n' > etc/modprobe.d/sctp.conf
