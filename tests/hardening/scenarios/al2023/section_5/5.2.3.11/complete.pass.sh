#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-session.rules "-w /var/run/utmp -p wa -k session" "-w /var/log/wtmp -p wa -k session" "-w /var/log/btmp -p wa -k session"
