#!/usr/bin/env bash
# apply: deferred
# /var/log/audit is on the root volume: a volume must be attached and formatted.
true
