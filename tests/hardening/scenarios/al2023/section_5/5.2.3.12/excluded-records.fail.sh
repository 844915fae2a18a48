#!/usr/bin/env bash
# Trap: the watches exist, but an exclude rule drops every PATH record.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-login.rules "-w /var/log/lastlog -p wa -k logins" "-w /var/run/faillock -p wa -k logins"
rules 70-quiet.rules "-a always,exclude -F msgtype=PATH"
