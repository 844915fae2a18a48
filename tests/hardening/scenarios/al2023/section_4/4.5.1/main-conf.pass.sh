#!/usr/bin/env bash
printf "minlen = 14\nminclass = 4\n" >> etc/security/pwquality.conf
