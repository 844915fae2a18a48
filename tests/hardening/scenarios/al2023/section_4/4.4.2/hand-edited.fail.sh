#!/usr/bin/env bash
# Trap: the generated files were edited by hand; authselect apply-changes would drop these lines.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
faillock_lines
