#!/usr/bin/env bash
# A password hash left in the world-readable /etc/passwd.
# shellcheck disable=SC2016  # a literal hash and PATH, not expansions
sed -i 's|^ec2-user:x:|ec2-user:$6$salt$hash:|' etc/passwd
