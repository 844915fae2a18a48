#!/bin/sh
# Write a unique marker to the volume, flush it, read it back. Refused only for a read-only file
# system: a permission error means the pod is misconfigured, not that the volume is read-only.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

dir=$1
file="$dir/hardened-eks-probe"

write_read() {
    if ! mountpoint -q "$dir" 2>/dev/null && ! grep -q " $dir " /proc/mounts; then
        DETAIL="$dir is not a mounted volume"
        return 2
    fi
    marker="hardened-eks-$(date +%s)-$$"
    if ! error=$( { printf '%s\n' "$marker" >"$file"; } 2>&1); then
        case $error in
            *"Read-only file system"*) DETAIL="write to $dir refused: read-only file system"; return 1 ;;
            *) DETAIL="write to $dir failed: $error"; return 2 ;;
        esac
    fi
    sync
    if [ "$(cat "$file")" = "$marker" ]; then
        DETAIL="wrote and read back $marker on $(grep " $dir " /proc/mounts | cut -d' ' -f1,3)"
        return 0
    fi
    DETAIL="read back something other than what was written to $file"
    return 2
}

run_check write_read
