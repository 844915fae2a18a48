#!/usr/bin/env bash
# Trap: pam_pwhistory after pam_unix (sufficient) is never reached.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i '/pam_pwhistory/d; s/^\(password *sufficient *pam_unix.so.*\)$/\1\npassword    required      pam_pwhistory.so use_authtok remember=24 enforce_for_root/' etc/pam.d/system-auth-local
