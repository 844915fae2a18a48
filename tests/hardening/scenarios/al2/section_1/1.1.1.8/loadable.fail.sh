#!/usr/bin/env bash
# The stock AL2 node ships usb-storage.ko and nothing stops it loading.
test -n "$(find usr/lib/modules -name 'usb-storage.ko*')"
