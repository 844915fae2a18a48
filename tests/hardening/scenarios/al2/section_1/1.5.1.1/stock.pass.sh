#!/usr/bin/env bash
test -e usr/lib64/libselinux.so.1
