#!/usr/bin/env bash
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/dovecot
printf '[Unit]\nDescription=dovecot.socket\n[Socket]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dovecot.socket
printf '[Unit]\nDescription=dovecot.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/dovecot.service
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/dovecot.socket etc/systemd/system/multi-user.target.wants/dovecot.socket
