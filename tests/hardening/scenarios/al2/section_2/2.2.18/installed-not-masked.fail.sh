#!/usr/bin/env bash
# Trap: installed and not enabled, but anything (a socket, a dependency) can still start it.
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/httpd
printf '[Unit]\nDescription=httpd.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/httpd.socket
printf '[Unit]\nDescription=httpd.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/httpd.service
