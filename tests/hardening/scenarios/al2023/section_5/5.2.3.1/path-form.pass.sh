#!/usr/bin/env bash
# The syscall form of a watch is the same rule; a broader permission set is fine.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-scope.rules "-a always,exit -F path=/etc/sudoers -F perm=rwa -k scope" "-w /etc/sudoers.d/ -p wa -k scope"
