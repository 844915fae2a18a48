#!/usr/bin/env bash
# Trap: both auth rules present, but authfail sits before pam_unix, so no failure is ever counted.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i '/authfail/d; s/^\(auth *required *pam_faillock.so preauth.*\)$/\1\nauth        [default=die] pam_faillock.so authfail audit deny=5 unlock_time=900 even_deny_root/' etc/pam.d/password-auth-local
