#!/usr/bin/env bash
printf "ops:x:1001:1001::/home/ops:/bin/bash\n" >> etc/passwd; printf "ops:x:1001:\n" >> etc/group
# shellcheck disable=SC2016  # a literal crypt hash
printf 'ops:$6$salt$hash:99999:1:365:7:30::\n' >> etc/shadow
