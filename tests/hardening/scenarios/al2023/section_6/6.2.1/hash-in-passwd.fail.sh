#!/usr/bin/env bash
# shellcheck disable=SC2016  # literal $ in file content
# Trap: an account added by appending to /etc/passwd with its hash in place of 'x' and no shadow entry.
printf 'builder:$6$salt$hashhashhash:1001:1000::/home/builder:/sbin/nologin\n' >> etc/passwd
