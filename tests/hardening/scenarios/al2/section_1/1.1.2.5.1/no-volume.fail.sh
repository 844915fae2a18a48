#!/usr/bin/env bash
# apply: deferred
# /var/tmp is on the root volume: a volume must be attached and formatted.
true
