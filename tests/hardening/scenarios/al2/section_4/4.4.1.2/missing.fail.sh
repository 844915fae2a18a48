#!/usr/bin/env bash
# apply: deferred
rm -f usr/lib64/libpwquality.so.1 usr/lib64/security/pam_pwquality.so
