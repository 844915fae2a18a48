#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/dovecot
printf '[Unit]\nDescription=dovecot.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dovecot.socket
printf '[Unit]\nDescription=dovecot.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dovecot.service
ln -s /dev/null etc/systemd/system/dovecot.socket
ln -s /dev/null etc/systemd/system/dovecot.service
