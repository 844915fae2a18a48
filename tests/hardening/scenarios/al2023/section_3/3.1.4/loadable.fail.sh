#!/usr/bin/env bash
# The stock node ships rds.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'rds.ko*')"
