#!/usr/bin/env bash
# One rule per syscall is the same as one rule with all of them.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-time-change.rules "-a always,exit -F arch=b64 -S adjtimex -k time-change" "-a always,exit -F arch=b64 -S settimeofday -S clock_settime -k time-change"   "-a always,exit -F arch=b32 -S adjtimex,settimeofday,clock_settime -k time-change" "-w /etc/localtime -p wa -k time-change"   "-a never,exit -F arch=b64 -S adjtimex -F auid=1234"
