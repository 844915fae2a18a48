#!/usr/bin/env bash
# Trap: the watches are there but without a key.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-scope.rules "-w /etc/sudoers -p wa" "-w /etc/sudoers.d/ -p wa"
