#!/usr/bin/env bash
sed -i 's/^#ForwardToSyslog=no/ForwardToSyslog=yes/' etc/systemd/journald.conf
