#!/usr/bin/env bash
# apply: deferred
rm -f usr/sbin/crond
