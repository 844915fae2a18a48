#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-user_emulation.rules "-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve -k user_emulation"
