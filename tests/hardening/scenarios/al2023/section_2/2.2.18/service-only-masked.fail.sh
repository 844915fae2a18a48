#!/usr/bin/env bash
# Trap: rsyncd.service masked, rsyncd.socket not.
printf '[Unit]\nDescription=rsyncd (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/rsyncd.service
printf '[Socket]\nListenStream=873\n' > usr/lib/systemd/system/rsyncd.socket
ln -s /dev/null etc/systemd/system/rsyncd.service
