#!/usr/bin/env bash
# Trap: installed and not enabled, but anything (a socket, a dependency) can still start it.
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/avahi-daemon
printf '[Unit]\nDescription=avahi-daemon.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/avahi-daemon.socket
printf '[Unit]\nDescription=avahi-daemon.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/avahi-daemon.service
