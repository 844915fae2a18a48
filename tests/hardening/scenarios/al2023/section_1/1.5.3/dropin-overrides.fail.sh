#!/usr/bin/env bash
# Trap: the main file says none but a drop-in wins.
sed -i 's/^#Storage=external/Storage=none/' etc/systemd/coredump.conf
mkdir -p etc/systemd/coredump.conf.d
printf '[Coredump]\nStorage=external\n' > etc/systemd/coredump.conf.d/50-debug.conf
