#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/in.tftpd
printf '[Unit]\nDescription=tftp.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/tftp.socket
printf '[Unit]\nDescription=tftp.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/tftp.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/tftp.socket etc/systemd/system/multi-user.target.wants/tftp.socket
