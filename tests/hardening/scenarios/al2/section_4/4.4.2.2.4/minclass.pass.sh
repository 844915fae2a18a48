#!/usr/bin/env bash
printf 'minclass = 4\n' >> etc/security/pwquality.conf
