#!/usr/bin/env bash
# Trap: the main file says yes, an admin drop-in says no.
printf '[Journal]\nCompress=yes\n' > etc/systemd/journald.conf
mkdir -p etc/systemd/journald.conf.d
printf '[Journal]\nCompress=no\n' > etc/systemd/journald.conf.d/10-local.conf
