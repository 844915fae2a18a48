#!/usr/bin/env bash
# Trap: the same group twice with different members; apply merges the members.
printf 'wheel:x:10:ssm-user\n' >> etc/group
