#!/usr/bin/env bash
# expect: deferred
# Configured right, back ends not regenerated yet.
printf 'LEGACY\n' > etc/crypto-policies/state/current
