#!/usr/bin/env bash
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/pam_pwhistory.so use_authtok/pam_pwhistory.so/' etc/pam.d/password-auth-local
