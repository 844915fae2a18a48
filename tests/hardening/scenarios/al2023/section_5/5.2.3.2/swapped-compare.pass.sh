#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-user_emulation.rules "-a always,exit -F arch=b64 -C uid!=euid -F auid!=-1 -S execve -k user_emulation"   "-a always,exit -F arch=b32 -C euid!=uid -F auid!=4294967295 -S execve -k user_emulation"
