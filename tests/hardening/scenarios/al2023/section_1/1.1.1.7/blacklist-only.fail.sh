#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe hfsplus` load it.
printf 'blacklist hfsplus\n' > etc/modprobe.d/hfsplus.conf
