#!/usr/bin/env bash
# The stock AL2 node ships freevxfs.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'freevxfs.ko*')"
