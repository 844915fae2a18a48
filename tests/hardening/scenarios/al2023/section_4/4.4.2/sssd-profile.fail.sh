#!/usr/bin/env bash
# Trap: the node uses authselect's sssd profile (its files are there): the custom profile is copied from sssd,
# keeping its pam_sss lines and the enabled feature.
cp -r usr/share/authselect/default/minimal usr/share/authselect/default/sssd
for f in system-auth password-auth; do
  sed -i 's/^\(auth .*pam_unix.so.*\)$/\1\nauth        sufficient                                   pam_sss.so forward_pass/' \
    usr/share/authselect/default/sssd/$f
done
printf 'sssd\nwith-mkhomedir\n' >etc/authselect/authselect.conf
