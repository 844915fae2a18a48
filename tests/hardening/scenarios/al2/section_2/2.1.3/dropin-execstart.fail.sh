#!/usr/bin/env bash
# Trap: OPTIONS is clean, but a drop-in hard-codes -u root on the command line.
mkdir -p etc/systemd/system/chronyd.service.d
# shellcheck disable=SC2016  # a literal $OPTIONS for systemd
printf '[Service]\nExecStart=\nExecStart=/usr/sbin/chronyd -u root $OPTIONS\n' > etc/systemd/system/chronyd.service.d/zz-local.conf
