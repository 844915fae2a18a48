#!/usr/bin/env bash
# The primary groups of every account exist.
printf 'systemd-journal-remote:x:998:\nec2-instance-connect:x:995:\n' >> etc/group
