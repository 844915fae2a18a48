#!/usr/bin/env bash
# The stock AL2 node ships squashfs.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'squashfs.ko*')"
