#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe cramfs` load it.
printf 'blacklist cramfs\n' > etc/modprobe.d/cramfs.conf
