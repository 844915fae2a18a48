#!/usr/bin/env bash
# Broader than required (every audit uid) is fine.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-mounts.rules "-a always,exit -F arch=b64 -S mount -F auid>=500 -F auid!=unset -k mounts" "-a always,exit -F arch=b32 -S mount -k mounts"
