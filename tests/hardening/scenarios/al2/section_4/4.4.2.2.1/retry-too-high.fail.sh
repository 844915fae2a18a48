#!/usr/bin/env bash
# Trap: a hand edit of the stack (kept by authconfig until it next runs) allows 5 tries; the other arguments stay.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
both 's/ retry=3/ retry=5/'
