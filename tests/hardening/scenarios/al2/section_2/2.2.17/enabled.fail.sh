#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/squid
printf '[Unit]\nDescription=squid.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/squid.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/squid.service etc/systemd/system/multi-user.target.wants/squid.service
