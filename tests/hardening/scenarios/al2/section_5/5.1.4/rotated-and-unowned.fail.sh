#!/usr/bin/env bash
# Trap: a rotated file kept the old wide mode, and an agent left a log owned by a deleted user.
printf x > var/log/messages-20250101
chmod 0644 var/log/messages-20250101
mkdir -p var/log/amazon/ssm
printf x > var/log/amazon/ssm/errors.log
chown 4321:4321 var/log/amazon/ssm/errors.log
chmod 0600 var/log/amazon/ssm/errors.log
