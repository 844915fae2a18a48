#!/usr/bin/env bash
# Trap: even_deny_root only on the preauth rule.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i '/authfail/s/ even_deny_root//' etc/pam.d/system-auth-local
