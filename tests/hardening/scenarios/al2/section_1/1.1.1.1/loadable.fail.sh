#!/usr/bin/env bash
# The stock AL2 node ships cramfs.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'cramfs.ko*')"
