#!/usr/bin/env bash
mkdir -p usr/lib/systemd/system
printf '#!/bin/sh\n' > usr/lib/systemd/system/rsyncd.service
printf '[Unit]\nDescription=rsyncd.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/rsyncd.socket
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/rsyncd.socket etc/systemd/system/multi-user.target.wants/rsyncd.socket
