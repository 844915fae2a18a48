#!/usr/bin/env bash
sed -i "s/^PASS_MIN_DAYS.*/PASS_MIN_DAYS\t1/" etc/login.defs
printf "ec2-user-locked-is-ignored\n" >/dev/null
