#!/usr/bin/env bash
# Trap: the rule records writes to the program, not its executions.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-perm_chng.rules "-a always,exit -F path=/usr/bin/chcon -F perm=wa -F auid>=1000 -F auid!=unset -k perm_chng"
