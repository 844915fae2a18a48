#!/usr/bin/env bash
# Trap: the configuration file says 5, the PAM argument (which wins) says 1.
printf 'difok = 5\n' >> etc/security/pwquality.conf
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
both 's/pam_pwquality.so try_first_pass/& difok=1/'
