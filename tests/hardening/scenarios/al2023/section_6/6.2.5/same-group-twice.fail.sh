#!/usr/bin/env bash
# Trap: wheel defined twice with the same gid, the second with another member (merged, members kept).
printf 'wheel:x:10:ssm-user\n' >> etc/group
printf 'wheel:!::ssm-user\n' >> etc/gshadow
