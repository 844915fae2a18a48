#!/usr/bin/env bash
# Trap: no pam_pwquality in one stack, so no dictionary check for sshd logins.
sed -i '/pam_pwquality/d' etc/pam.d/password-auth-ac
