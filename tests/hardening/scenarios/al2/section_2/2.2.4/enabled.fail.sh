#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/named
printf '[Unit]\nDescription=named.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/named.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/named.service etc/systemd/system/multi-user.target.wants/named.service
