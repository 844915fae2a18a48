#!/usr/bin/env bash
# Trap: the node uses authselect's sssd profile, whose files are not under this root: the custom profile is based
# on the minimal profile that is there, and the run goes on.
printf 'sssd\nwith-mkhomedir\n' >etc/authselect/authselect.conf
