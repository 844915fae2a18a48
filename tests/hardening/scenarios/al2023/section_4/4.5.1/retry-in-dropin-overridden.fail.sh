#!/usr/bin/env bash
# Trap: a drop-in sets retry = 2, but pwquality.conf (read last) sets 6.
printf "minlen = 14\nminclass = 4\nretry = 2\n" > etc/security/pwquality.conf.d/50-cis.conf
printf "retry = 6\n" >> etc/security/pwquality.conf
