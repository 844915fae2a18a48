#!/usr/bin/env bash
mkdir -p etc/systemd/journald.conf.d
printf '[Journal]\nCompress=yes\n' > etc/systemd/journald.conf.d/10-compress.conf
