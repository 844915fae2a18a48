#!/usr/bin/env bash
# Trap: the same entry written twice (a provisioning script appended it again).
line=$(grep '^ec2-user:' etc/passwd)
printf '%s\n' "$line" >> etc/passwd
