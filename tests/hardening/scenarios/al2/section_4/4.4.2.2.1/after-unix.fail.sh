#!/usr/bin/env bash
# Trap: pam_pwquality is there, but after pam_unix (sufficient): it is never reached.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
both '/pam_pwquality/d; s/^\(password *sufficient *pam_unix.so.*\)$/\1\npassword    requisite     pam_pwquality.so try_first_pass local_users_only retry=3/'
