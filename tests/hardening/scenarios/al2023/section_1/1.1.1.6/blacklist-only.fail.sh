#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe hfs` load it.
printf 'blacklist hfs\n' > etc/modprobe.d/hfs.conf
