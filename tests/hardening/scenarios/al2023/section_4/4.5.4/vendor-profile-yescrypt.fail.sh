#!/usr/bin/env bash
# Trap: the profile (and so the generated files) hash with yescrypt.
sed -i "s/pam_unix.so sha512 shadow/pam_unix.so yescrypt shadow/" usr/share/authselect/default/minimal/system-auth usr/share/authselect/default/minimal/password-auth etc/authselect/system-auth etc/authselect/password-auth
