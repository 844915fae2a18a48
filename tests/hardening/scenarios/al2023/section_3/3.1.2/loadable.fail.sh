#!/usr/bin/env bash
# The stock node ships dccp.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'dccp.ko*')"
