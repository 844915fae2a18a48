#!/usr/bin/env bash
# The stock AL2 node ships jffs2.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'jffs2.ko*')"
