#!/usr/bin/env bash
# The stock node ships squashfs.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'squashfs.ko*')"
