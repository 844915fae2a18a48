#!/usr/bin/env bash
# Trap: the main file says yes, but a drop-in (read after it) turns forwarding off again.
sed -i 's/^#ForwardToSyslog=no/ForwardToSyslog=yes/' etc/systemd/journald.conf
mkdir -p usr/lib/systemd/journald.conf.d
printf '[Journal]\nForwardToSyslog=no\n' > usr/lib/systemd/journald.conf.d/60-no-syslog.conf
