#!/usr/bin/env bash
# Trap: length and complexity are right, but retry is not written: pam_pwquality's default (1) complies, yet the
# benchmark's audit (and ComplianceAsCode's accounts_password_pam_retry) looks for an explicit retry of 1 to 3.
# apply writes `retry = 3` to pwquality.conf and retry=3 on the pam_pwquality line.
printf "minlen = 14\nminclass = 4\n" >> etc/security/pwquality.conf
