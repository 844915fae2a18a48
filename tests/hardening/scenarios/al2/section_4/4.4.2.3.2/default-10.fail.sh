#!/usr/bin/env bash
# Trap: no remember argument: pam 1.1.8 reads no pwhistory.conf, so the default of 10 applies.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/ remember=24//' etc/pam.d/password-auth-local
mkdir -p etc/security
printf 'remember = 24\n' > etc/security/pwhistory.conf
