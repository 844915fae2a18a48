#!/usr/bin/env bash
# A root without journald's unit files (systemd not installed there): the control fails with the reason and
# apply goes on to the summary (nothing under the root can create the unit).
# apply: fail
find . -name 'systemd-journald.*' -delete
