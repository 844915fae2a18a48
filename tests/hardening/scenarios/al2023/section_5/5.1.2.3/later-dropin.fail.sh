#!/usr/bin/env bash
# Trap: an /etc drop-in sets yes, a later-sorting /run drop-in turns compression off.
mkdir -p etc/systemd/journald.conf.d run/systemd/journald.conf.d
printf '[Journal]\nCompress=yes\n' > etc/systemd/journald.conf.d/10-compress.conf
printf '[Journal]\nCompress=no\n' > run/systemd/journald.conf.d/90-debug.conf
