#!/usr/bin/env bash
# /tmp and /var/tmp are world-writable with the sticky bit: allowed.
test -k tmp
