#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/automount
printf '[Unit]\nDescription=autofs.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/autofs.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/autofs.service etc/systemd/system/multi-user.target.wants/autofs.service
