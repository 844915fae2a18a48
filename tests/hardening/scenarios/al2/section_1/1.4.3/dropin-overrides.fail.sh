#!/usr/bin/env bash
# Trap: coredump.conf sets it, but a drop-in read later sets it back.
sed -i 's/^#ProcessSizeMax=.*/ProcessSizeMax=0/' etc/systemd/coredump.conf
mkdir -p etc/systemd/coredump.conf.d
printf '[Coredump]\nProcessSizeMax=2G\n' > etc/systemd/coredump.conf.d/50-debug.conf
