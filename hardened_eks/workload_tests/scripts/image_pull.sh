#!/bin/sh
# This container only runs if the kubelet pulled its image (the pod forces a pull), so reaching
# this line is the evidence; the collector adds the image digest the kubelet reports.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

started() {
    DETAIL="container started from a freshly pulled image"
    return 0
}

run_check started
