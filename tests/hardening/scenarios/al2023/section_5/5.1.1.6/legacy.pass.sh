#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '*.* @@logs.example.internal:514\n' > etc/rsyslog.d/90-fwd.conf
