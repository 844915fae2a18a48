#!/usr/bin/env bash
# Trap: coredump.conf sets it, but a drop-in read later sets it back.
sed -i 's/^#Storage=.*/Storage=none/' etc/systemd/coredump.conf
mkdir -p etc/systemd/coredump.conf.d
printf '[Coredump]\nStorage=external\n' > etc/systemd/coredump.conf.d/50-debug.conf
