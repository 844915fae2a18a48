#!/usr/bin/env bash
# Trap: -p w misses attribute changes (a).
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-MAC-policy.rules "-w /etc/selinux -p w -k MAC-policy" "-w /usr/share/selinux -p wa -k MAC-policy"
