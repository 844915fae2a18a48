#!/usr/bin/env bash
# Trap: installed and not enabled, but anything (a socket, a dependency) can still start it.
mkdir -p usr/lib/systemd/system
printf '#!/bin/sh\n' > usr/lib/systemd/system/rsyncd.service
printf '[Unit]\nDescription=rsyncd.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/rsyncd.socket
