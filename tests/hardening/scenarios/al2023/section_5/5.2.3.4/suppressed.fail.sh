#!/usr/bin/env bash
# Trap: the rules are there, but an earlier-sorting file has a never rule for adjtimex (first match wins).
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 10-noise.rules "-a never,exit -F arch=b64 -S adjtimex"
rules 50-time-change.rules "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change"   "-a always,exit -F arch=b32 -S adjtimex,settimeofday,clock_settime -k time-change" "-w /etc/localtime -p wa -k time-change"
