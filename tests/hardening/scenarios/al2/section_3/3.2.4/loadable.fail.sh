#!/usr/bin/env bash
# The stock AL2 kernel ships sctp.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'sctp.ko*')"
