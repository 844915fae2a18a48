#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/smbd
printf '[Unit]\nDescription=smb.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/smb.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/smb.service etc/systemd/system/multi-user.target.wants/smb.service
