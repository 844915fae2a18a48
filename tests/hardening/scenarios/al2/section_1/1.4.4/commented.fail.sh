#!/usr/bin/env bash
# Stock AL2: coredump.conf only has commented defaults.
grep -q '^#Storage=' etc/systemd/coredump.conf
