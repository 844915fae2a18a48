#!/usr/bin/env bash
# Stock AL2: coredump.conf only has commented defaults.
grep -q '^#ProcessSizeMax=' etc/systemd/coredump.conf
