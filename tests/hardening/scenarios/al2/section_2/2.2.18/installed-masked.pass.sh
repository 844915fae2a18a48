#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/httpd
printf '[Unit]\nDescription=httpd.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/httpd.socket
printf '[Unit]\nDescription=httpd.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/httpd.service
ln -s /dev/null etc/systemd/system/httpd.socket
ln -s /dev/null etc/systemd/system/httpd.service
