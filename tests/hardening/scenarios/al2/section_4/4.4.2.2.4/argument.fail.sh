#!/usr/bin/env bash
# Trap: minclass 4 in the file, minclass=2 on the PAM line of one stack.
printf 'minclass = 4\n' >> etc/security/pwquality.conf
sed -i 's/pam_pwquality.so try_first_pass/& minclass=2/' etc/pam.d/password-auth-ac
