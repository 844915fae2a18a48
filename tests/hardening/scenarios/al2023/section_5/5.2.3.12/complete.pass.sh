#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-login.rules "-w /var/log/lastlog -p wa -k logins" "-w /var/run/faillock -p wa -k logins" "-a always,exclude -F msgtype=CWD_NOT_A_TYPE"
