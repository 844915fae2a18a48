#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/vsftpd
printf '[Unit]\nDescription=vsftpd.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/vsftpd.service
ln -s /dev/null etc/systemd/system/vsftpd.service
