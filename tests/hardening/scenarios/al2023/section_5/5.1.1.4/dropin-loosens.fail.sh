#!/usr/bin/env bash
# Trap: the main file sets 0640, a drop-in included before the rules sets it back to 0644.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
sed -i "s|^global(workDirectory|\$FileCreateMode 0640\nglobal(workDirectory|" etc/rsyslog.conf
printf '%s\n' "\$FileCreateMode 0644" > etc/rsyslog.d/20-app.conf
