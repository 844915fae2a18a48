#!/usr/bin/env bash
# apply: deferred
# /home is on the root volume: a volume must be attached and formatted.
true
