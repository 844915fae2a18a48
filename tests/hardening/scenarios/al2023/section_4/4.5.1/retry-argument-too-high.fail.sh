#!/usr/bin/env bash
# Trap: pwquality.conf says retry = 3, but an argument on the PAM line overrides it with 5.
printf "minlen = 14\nminclass = 4\nretry = 3\n" >> etc/security/pwquality.conf
sed -i "s/pam_pwquality.so$/pam_pwquality.so retry=5/" etc/authselect/system-auth etc/authselect/password-auth
