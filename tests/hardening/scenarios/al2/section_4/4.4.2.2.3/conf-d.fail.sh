#!/usr/bin/env bash
# Trap: libpwquality 1.2.3 does not read pwquality.conf.d.
mkdir -p etc/security/pwquality.conf.d
printf 'minlen = 14\n' > etc/security/pwquality.conf.d/50-cis.conf
