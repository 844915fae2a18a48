#!/usr/bin/env bash
# Set-uid programs inside image layers are the workload's, not the host's: no rule needed.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-privileged.rules "-a always,exit -F path=/usr/bin/sudo -F perm=x -F auid>=1000 -F auid!=unset -k privileged"
printf '#!/bin/sh\n' > var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs/usr/bin/su
chmod 4755 var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs/usr/bin/su
