#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 99-finalize.rules "-e 2"
