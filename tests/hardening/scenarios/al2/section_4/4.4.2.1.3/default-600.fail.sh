#!/usr/bin/env bash
# Trap: no unlock_time argument: pam 1.1.8 has no faillock.conf, so the default of 600 s applies.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/ unlock_time=900//' etc/pam.d/password-auth-local
