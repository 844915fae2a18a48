#!/usr/bin/env bash
# Trap: the service is not enabled, but its socket is (socket activation starts it).
printf '[Unit]\nDescription=Journal Remote Sink Service\n[Service]\nExecStart=/usr/lib/systemd/systemd-journal-remote --listen-https=-3\n' > usr/lib/systemd/system/systemd-journal-remote.service
printf '[Socket]\nListenStream=19532\n[Install]\nWantedBy=sockets.target\n' > usr/lib/systemd/system/systemd-journal-remote.socket
mkdir -p etc/systemd/system/sockets.target.wants
ln -s /usr/lib/systemd/system/systemd-journal-remote.socket etc/systemd/system/sockets.target.wants/
