#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/cupsd
printf '[Unit]\nDescription=cups.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/cups.socket
printf '[Unit]\nDescription=cups.path\n[Path]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/cups.path
printf '[Unit]\nDescription=cups.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/cups.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/cups.socket etc/systemd/system/multi-user.target.wants/cups.socket
