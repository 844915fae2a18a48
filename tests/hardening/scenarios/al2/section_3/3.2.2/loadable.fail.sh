#!/usr/bin/env bash
# The stock AL2 kernel ships tipc.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'tipc.ko*')"
