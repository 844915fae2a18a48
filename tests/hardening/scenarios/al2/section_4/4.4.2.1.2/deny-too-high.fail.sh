#!/usr/bin/env bash
# Trap: preauth is right, the authfail rule (which counts) allows 10 attempts.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i '/authfail/s/deny=5/deny=10/' etc/pam.d/system-auth-local
