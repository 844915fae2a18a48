#!/usr/bin/env bash
mkdir -p etc/systemd/journald.conf.d
printf '[Journal]\nForwardToSyslog=yes\n' > etc/systemd/journald.conf.d/50-syslog.conf
