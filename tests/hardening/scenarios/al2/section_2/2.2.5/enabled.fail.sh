#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/dnsmasq
printf '[Unit]\nDescription=dnsmasq.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dnsmasq.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/dnsmasq.service etc/systemd/system/multi-user.target.wants/dnsmasq.service
