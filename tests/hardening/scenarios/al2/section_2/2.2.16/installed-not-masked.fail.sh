#!/usr/bin/env bash
# Trap: installed and not enabled, but anything (a socket, a dependency) can still start it.
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/in.tftpd
printf '[Unit]\nDescription=tftp.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/tftp.socket
printf '[Unit]\nDescription=tftp.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/tftp.service
