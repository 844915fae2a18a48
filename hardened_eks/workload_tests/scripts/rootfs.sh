#!/bin/sh
# Write to the container's own filesystem (/tmp of the image, no volume over it). Refused only as
# EROFS, which is what readOnlyRootFilesystem produces.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

file="/tmp/hardened-eks-rootfs-$$"

write_own_fs() {
    if grep -q ' /tmp ' /proc/mounts; then
        DETAIL="/tmp is a separate mount here; the check needs the container's own filesystem"
        return 2
    fi
    if ! error=$( { printf 'written\n' >"$file"; } 2>&1); then
        case $error in
            *"Read-only file system"*) DETAIL="write to the container filesystem refused: read-only"; return 1 ;;
            *) DETAIL="write to $file failed: $error"; return 2 ;;
        esac
    fi
    if [ "$(cat "$file")" = "written" ]; then
        DETAIL="container wrote and read $file on its own filesystem"
        rm -f "$file"
        return 0
    fi
    DETAIL="$file did not read back"
    return 2
}

run_check write_own_fs
