#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '%s\n' "\$FileCreateMode 0640" > etc/rsyslog.d/00-mode.conf
