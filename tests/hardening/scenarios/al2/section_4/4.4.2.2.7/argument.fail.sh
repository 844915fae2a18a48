#!/usr/bin/env bash
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
both 's/pam_pwquality.so try_first_pass/& dictcheck=0/'
