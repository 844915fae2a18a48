#!/usr/bin/env bash
# No $FileCreateMode: rsyslog creates /var/log/messages and the others 0644. imjournal's FileCreateMode is
# its state file, not the log files.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
