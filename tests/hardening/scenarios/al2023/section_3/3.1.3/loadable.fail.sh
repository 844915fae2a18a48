#!/usr/bin/env bash
# The stock node ships sctp.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'sctp.ko*')"
