#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/avahi-daemon
printf '[Unit]\nDescription=avahi-daemon.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/avahi-daemon.socket
printf '[Unit]\nDescription=avahi-daemon.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/avahi-daemon.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/avahi-daemon.socket etc/systemd/system/multi-user.target.wants/avahi-daemon.socket
