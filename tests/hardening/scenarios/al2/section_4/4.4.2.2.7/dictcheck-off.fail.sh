#!/usr/bin/env bash
printf 'dictcheck = 0\n' >> etc/security/pwquality.conf
