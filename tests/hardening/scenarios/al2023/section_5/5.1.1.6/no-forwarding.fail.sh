#!/usr/bin/env bash
# apply: error
# Trap: a forwarding action exists only as a comment. Without --set remote-log-host apply must stop.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '#*.* action(type="omfwd" target="logs.example.internal" port="514" protocol="tcp")\n' > etc/rsyslog.d/90-fwd.conf
