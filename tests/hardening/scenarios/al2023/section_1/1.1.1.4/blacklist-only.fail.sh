#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe freevxfs` load it.
printf 'blacklist freevxfs\n' > etc/modprobe.d/freevxfs.conf
