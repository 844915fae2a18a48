#!/usr/bin/env bash
# apply: deferred
printf 'LEGACY\n' > etc/crypto-policies/config
printf 'LEGACY\n' > etc/crypto-policies/state/current
