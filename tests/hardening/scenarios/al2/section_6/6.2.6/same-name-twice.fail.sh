#!/usr/bin/env bash
line=$(grep '^ec2-user:' etc/passwd)
printf '%s\n' "$line" >> etc/passwd
