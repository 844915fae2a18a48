#!/usr/bin/env bash
# Trap: libpwquality reads pwquality.conf.d first and the main file last, so minlen = 8 wins.
printf "minlen = 14\nminclass = 4\n" > etc/security/pwquality.conf.d/50-cis.conf
printf "minlen = 8\n" >> etc/security/pwquality.conf
