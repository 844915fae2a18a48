#!/usr/bin/env bash
# apply: deferred
rm -f usr/bin/sudo
