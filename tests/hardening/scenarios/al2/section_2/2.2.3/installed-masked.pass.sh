#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/dhcpd
printf '[Unit]\nDescription=dhcpd.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dhcpd.service
printf '[Unit]\nDescription=dhcpd6.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dhcpd6.service
ln -s /dev/null etc/systemd/system/dhcpd.service
ln -s /dev/null etc/systemd/system/dhcpd6.service
