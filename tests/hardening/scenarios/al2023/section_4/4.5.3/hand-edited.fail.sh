#!/usr/bin/env bash
# Trap: a hand-added rule in the generated files that authselect would drop.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
pwhistory_lines remember=24
