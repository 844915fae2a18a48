#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe squashfs` load it.
printf 'blacklist squashfs\n' > etc/modprobe.d/squashfs.conf
