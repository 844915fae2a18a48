#!/usr/bin/env bash
# Trap: the feature is recorded but the generated files were never regenerated.
# shellcheck source=SCRIPTDIR/../pam-helpers.sh
. "$(dirname "$0")/../pam-helpers.sh"
enable_feature with-faillock
