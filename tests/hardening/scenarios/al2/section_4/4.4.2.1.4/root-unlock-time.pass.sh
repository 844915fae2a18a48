#!/usr/bin/env bash
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/ even_deny_root/ root_unlock_time=60/' etc/pam.d/system-auth-local etc/pam.d/password-auth-local
