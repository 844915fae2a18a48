#!/usr/bin/env bash
printf 'maxrepeat = 3\n' >> etc/security/pwquality.conf
