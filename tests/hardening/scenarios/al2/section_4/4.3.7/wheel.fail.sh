#!/usr/bin/env bash
# Trap: the default group is wheel, which has ec2-user.
sed -i "s/^#auth\t\trequired\tpam_wheel.so use_uid/auth\t\trequired\tpam_wheel.so use_uid/" etc/pam.d/su
