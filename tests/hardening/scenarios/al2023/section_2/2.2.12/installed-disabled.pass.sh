#!/usr/bin/env bash
# net-snmp installed (a dependency) but snmpd.service not enabled: allowed.
printf '#!/bin/sh\n' > usr/sbin/snmpd
printf '[Unit]\nDescription=snmpd (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/snmpd.service
