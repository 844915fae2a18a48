#!/usr/bin/env bash
# Trap: the key is in the wrong section.
printf '[Journal]\nProcessSizeMax=0\n' >> etc/systemd/coredump.conf
