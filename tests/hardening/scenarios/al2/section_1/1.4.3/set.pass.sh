#!/usr/bin/env bash
sed -i 's/^#ProcessSizeMax=.*/ProcessSizeMax=0/' etc/systemd/coredump.conf
