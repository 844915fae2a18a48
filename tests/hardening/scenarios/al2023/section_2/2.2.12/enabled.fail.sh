#!/usr/bin/env bash
# Trap: enabled through a wants link in /etc.
printf '#!/bin/sh\n' > usr/sbin/snmpd
printf '[Unit]\nDescription=snmpd (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/snmpd.service
ln -s /usr/lib/systemd/system/snmpd.service etc/systemd/system/multi-user.target.wants/snmpd.service
