#!/usr/bin/env bash
# apply: deferred
rm usr/lib64/libselinux.so.1
