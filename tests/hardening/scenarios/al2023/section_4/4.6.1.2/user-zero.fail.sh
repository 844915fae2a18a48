#!/usr/bin/env bash
sed -i 's/^PASS_MIN_DAYS.*/PASS_MIN_DAYS\t1/' etc/login.defs
printf "ops:x:1001:1001::/home/ops:/bin/bash\n" >> etc/passwd; printf "ops:x:1001:\n" >> etc/group
# shellcheck disable=SC2016  # a literal crypt hash
printf 'ops:$6$salt$hash:19800:0:365:7:30::\n' >> etc/shadow
