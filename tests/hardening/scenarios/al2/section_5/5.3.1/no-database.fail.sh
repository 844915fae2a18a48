#!/usr/bin/env bash
# apply: deferred
# Trap: aide is installed but was never initialised, so --check has nothing to compare.
printf x > usr/sbin/aide
chmod 0755 usr/sbin/aide
