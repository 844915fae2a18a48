#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/squid
printf '[Unit]\nDescription=squid.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/squid.service
ln -s /dev/null etc/systemd/system/squid.service
