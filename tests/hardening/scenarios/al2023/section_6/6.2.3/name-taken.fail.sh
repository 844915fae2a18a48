#!/usr/bin/env bash
# apply: error
# Trap: ec2-user points at gid 1500, and a group named ec2-user already exists with gid 1000.
sed -i 's/^ec2-user:x:1000:1000:/ec2-user:x:1000:1500:/' etc/passwd
