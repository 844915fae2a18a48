#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/xinetd
printf '[Unit]\nDescription=xinetd.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/xinetd.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/xinetd.service etc/systemd/system/multi-user.target.wants/xinetd.service
