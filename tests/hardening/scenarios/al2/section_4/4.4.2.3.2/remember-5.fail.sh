#!/usr/bin/env bash
# Trap: "5" sorts after "24" as text; as a number it is too few.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
hardened
sed -i 's/remember=24/remember=5/' etc/pam.d/system-auth-local
