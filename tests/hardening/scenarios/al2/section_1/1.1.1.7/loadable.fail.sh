#!/usr/bin/env bash
# The stock AL2 node ships udf.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'udf.ko*')"
