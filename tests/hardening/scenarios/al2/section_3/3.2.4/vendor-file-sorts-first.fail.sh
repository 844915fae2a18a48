#!/usr/bin/env bash
# Trap: a vendor file that sorts before ours loads sctp; apply must shadow it from /etc.
printf 'install sctp /sbin/modprobe --ignore-install sctp\n' > usr/lib/modprobe.d/00-aaa-vendor.conf
