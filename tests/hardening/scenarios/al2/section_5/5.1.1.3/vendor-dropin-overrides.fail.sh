#!/usr/bin/env bash
# Trap: the main file says yes, a vendor drop-in read later says no.
printf '[Journal]\nForwardToSyslog=yes\n' > etc/systemd/journald.conf
mkdir -p usr/lib/systemd/journald.conf.d
printf '[Journal]\nForwardToSyslog=no\n' > usr/lib/systemd/journald.conf.d/60-vendor.conf
