#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe jffs2` load it.
printf 'blacklist jffs2\n' > etc/modprobe.d/jffs2.conf
