#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/dhcpd
printf '[Unit]\nDescription=dhcpd.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dhcpd.service
printf '[Unit]\nDescription=dhcpd6.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dhcpd6.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/dhcpd.service etc/systemd/system/multi-user.target.wants/dhcpd.service
