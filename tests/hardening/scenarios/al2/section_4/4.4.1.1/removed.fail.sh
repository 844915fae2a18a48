#!/usr/bin/env bash
# apply: deferred
rm -f usr/lib64/security/pam_unix.so
