#!/usr/bin/env bash
printf '[Unit]\nDescription=rsyncd (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/rsyncd.service
ln -s /dev/null etc/systemd/system/rsyncd.service
ln -s /dev/null etc/systemd/system/rsyncd.socket
