#!/usr/bin/env bash
printf "minlen = 14\nminclass = 4\nretry = 3\n" >> etc/security/pwquality.conf
