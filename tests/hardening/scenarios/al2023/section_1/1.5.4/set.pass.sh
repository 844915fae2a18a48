#!/usr/bin/env bash
sed -i 's/^#ProcessSizeMax=2G/ProcessSizeMax=0/' etc/systemd/coredump.conf
