#!/usr/bin/env bash
printf 'maxsequence = 0\n' >> etc/security/pwquality.conf
