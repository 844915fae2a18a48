#!/usr/bin/env bash
# The stock AL2 node ships hfsplus.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'hfsplus.ko*')"
