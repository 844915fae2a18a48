#!/usr/bin/env bash
# Trap: ec2-user's password field emptied (the ageing fields after it are intact).
sed -i 's/^ec2-user:!!:/ec2-user::/' etc/shadow
