#!/usr/bin/env bash
printf 'minlen = 14\n' >> etc/security/pwquality.conf
