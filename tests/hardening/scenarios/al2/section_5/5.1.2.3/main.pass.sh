#!/usr/bin/env bash
printf '[Journal]\nCompress=yes\n' > etc/systemd/journald.conf
