#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/ypserv
printf '[Unit]\nDescription=ypserv.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/ypserv.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/ypserv.service etc/systemd/system/multi-user.target.wants/ypserv.service
