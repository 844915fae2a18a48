#!/usr/bin/env bash
# apply: fail
# A module built into the kernel cannot be disabled: the audit must not pass it.
find usr/lib/modules -name 'squashfs.ko*' -delete
printf 'kernel/fs/squashfs/squashfs.ko\n' >> usr/lib/modules/*/modules.builtin
