#!/usr/bin/env bash
# Trap: the rule has no remember=, and pwhistory.conf lowers the module default.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
enable_feature with-pwhistory
pwhistory_lines
printf 'remember = 2\n' > etc/security/pwhistory.conf
