#!/usr/bin/env bash
# Trap: the rules only match root's mounts (an extra filter makes them narrower).
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-mounts.rules "-a always,exit -F arch=b64 -S mount -F uid=0 -F auid>=1000 -F auid!=unset -k mounts" "-a always,exit -F arch=b32 -S mount -F uid=0 -F auid>=1000 -F auid!=unset -k mounts"
