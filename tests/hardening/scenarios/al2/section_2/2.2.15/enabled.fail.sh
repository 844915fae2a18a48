#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/in.telnetd
printf '[Unit]\nDescription=telnet.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/telnet.socket
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/telnet.socket etc/systemd/system/multi-user.target.wants/telnet.socket
