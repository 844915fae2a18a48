#!/usr/bin/env bash
# Trap: -e 2 is set, but a file sorting later (ls -v order) sets -e 1, and augenrules keeps the last -e.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 99-finalize.rules "-e 2"
rules 99-zz-debug.rules "-e 1"
