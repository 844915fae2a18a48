#!/usr/bin/env bash
# Trap: the default is right, but one action sets its own world-readable mode.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '%s\n' "\$FileCreateMode 0640" > etc/rsyslog.d/00-mode.conf
printf 'local3.* action(type="omfile" file="/var/log/app.log"\n                fileCreateMode="0644")\n' > etc/rsyslog.d/50-app.conf
