#!/usr/bin/env bash
# Trap: an apply stopped between writing /etc/group and /etc/gshadow: the su group exists in /etc/group only.
# The audit must not call that converged; the next apply adds the gshadow entry.
printf "sugroup:x:990:\n" >> etc/group
sed -i "/pam_rootok/a auth\t\trequired\tpam_wheel.so use_uid group=sugroup" etc/pam.d/su
