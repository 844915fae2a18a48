#!/usr/bin/env bash
# Trap: login.defs is right, but an existing account with a password never expires.
sed -i 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS\t365/' etc/login.defs
printf "ops:x:1001:1001::/home/ops:/bin/bash\n" >> etc/passwd; printf "ops:x:1001:\n" >> etc/group
# shellcheck disable=SC2016  # a literal crypt hash
printf 'ops:$6$salt$hash:19800:1:99999:7:30::\n' >> etc/shadow
