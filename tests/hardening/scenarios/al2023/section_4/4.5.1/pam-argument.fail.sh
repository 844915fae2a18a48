#!/usr/bin/env bash
# Trap: the configuration is right, but an argument on the PAM line overrides it.
printf "minlen = 14\nminclass = 4\n" >> etc/security/pwquality.conf
sed -i "s/pam_pwquality.so$/pam_pwquality.so minlen=8/" etc/authselect/system-auth etc/authselect/password-auth
