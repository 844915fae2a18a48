#!/usr/bin/env bash
# shellcheck disable=SC2016  # literal $ in file content
# Trap: a unit drop-in replaces ExecStart with one that keeps root.
mkdir -p etc/systemd/system/chronyd.service.d
printf '[Service]\nExecStart=\nExecStart=/usr/sbin/chronyd -u root $OPTIONS\n' > etc/systemd/system/chronyd.service.d/override.conf
