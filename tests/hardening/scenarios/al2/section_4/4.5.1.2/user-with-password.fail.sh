#!/usr/bin/env bash
# shellcheck disable=SC2016  # a literal hash
# Trap: login.defs is right; an account with a password keeps 99999.
sed -i 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS\t365/' etc/login.defs
printf 'alice:x:1001:1001::/home/alice:/bin/bash\n' >> etc/passwd
printf 'alice:$6$salt$hash:19500:0:99999:7:::\n' >> etc/shadow
