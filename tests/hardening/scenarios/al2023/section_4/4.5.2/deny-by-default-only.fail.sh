#!/usr/bin/env bash
# Trap: faillock is enabled and unlock_time is right, but deny is not written: pam_faillock's default (3) complies,
# yet the benchmark's audit (and Amazon Inspector's CIS scan) greps faillock.conf for deny = 1..5. apply writes it.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
enable_feature with-faillock
faillock_lines
printf 'unlock_time = 900\n' >> etc/security/faillock.conf
