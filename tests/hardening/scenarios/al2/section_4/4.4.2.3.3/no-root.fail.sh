#!/usr/bin/env bash
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/ enforce_for_root//' etc/pam.d/system-auth-local
