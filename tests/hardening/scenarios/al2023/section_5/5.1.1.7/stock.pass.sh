#!/usr/bin/env bash
# The stock file has the inputs commented out.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
