#!/usr/bin/env bash
# Trap: installed and not enabled, but anything (a socket, a dependency) can still start it.
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/cupsd
printf '[Unit]\nDescription=cups.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/cups.socket
printf '[Unit]\nDescription=cups.path\n[Path]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/cups.path
printf '[Unit]\nDescription=cups.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/cups.service
