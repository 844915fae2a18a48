#!/usr/bin/env bash
# Trap: faillock.conf is right; deny=10 on the PAM lines overrides it.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
enable_feature with-faillock
faillock_lines deny=10
printf 'deny = 5\nunlock_time = 900\n' >> etc/security/faillock.conf
