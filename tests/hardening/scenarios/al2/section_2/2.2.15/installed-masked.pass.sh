#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/in.telnetd
printf '[Unit]\nDescription=telnet.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/telnet.socket
ln -s /dev/null etc/systemd/system/telnet.socket
