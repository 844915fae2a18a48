#!/usr/bin/env bash
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/ even_deny_root/ root_unlock_time=30/' etc/pam.d/password-auth-local
