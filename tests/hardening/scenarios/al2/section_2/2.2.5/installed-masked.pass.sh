#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/dnsmasq
printf '[Unit]\nDescription=dnsmasq.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dnsmasq.service
ln -s /dev/null etc/systemd/system/dnsmasq.service
