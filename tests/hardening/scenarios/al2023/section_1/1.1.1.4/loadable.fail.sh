#!/usr/bin/env bash
# The stock node ships freevxfs.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'freevxfs.ko*')"
