#!/usr/bin/env bash
printf "sugroup:x:990:\n" >> etc/group
printf "sugroup:!::\n" >> etc/gshadow
sed -i "/pam_rootok/a auth\t\trequired\tpam_wheel.so use_uid group=sugroup" etc/pam.d/su
