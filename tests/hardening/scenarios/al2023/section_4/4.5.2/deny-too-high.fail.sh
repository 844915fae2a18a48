#!/usr/bin/env bash
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
enable_feature with-faillock
faillock_lines
printf 'deny = 10\nunlock_time = 0\n' >> etc/security/faillock.conf
