#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '*.* action(type="omfwd" target="logs.example.internal" port="514"\n           protocol="tcp")\n' > etc/rsyslog.d/90-fwd.conf
