#!/usr/bin/env bash
# Trap: a later file removes the wtmp watch again (-W).
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-session.rules "-w /var/run/utmp -p wa -k session" "-w /var/log/wtmp -p wa -k session" "-w /var/log/btmp -p wa -k session"
rules 60-local.rules "-W /var/log/wtmp -p wa -k session"
