#!/usr/bin/env bash
mkdir -p etc/systemd/journald.conf.d
printf '[Journal]\nStorage=persistent\n' > etc/systemd/journald.conf.d/10-storage.conf
