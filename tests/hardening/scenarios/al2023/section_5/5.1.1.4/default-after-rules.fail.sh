#!/usr/bin/env bash
# Trap: $FileCreateMode only applies to actions after it; here it comes after every rule.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '%s\n' "\$FileCreateMode 0640" >> etc/rsyslog.conf
