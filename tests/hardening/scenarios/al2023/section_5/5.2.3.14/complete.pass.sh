#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-MAC-policy.rules "-w /etc/selinux/ -p wa -k MAC-policy" "-w /usr/share/selinux/ -p wa -k MAC-policy"
