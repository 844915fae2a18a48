#!/usr/bin/env bash
# Trap: only the socket is enabled; it starts the receiver on the first connection.
printf '[Unit]\nDescription=Journal Remote Sink Socket\n[Socket]\nListenStream=19532\n[Install]\nWantedBy=sockets.target\n' > usr/lib/systemd/system/systemd-journal-remote.socket
mkdir -p etc/systemd/system/sockets.target.wants
ln -s /usr/lib/systemd/system/systemd-journal-remote.socket etc/systemd/system/sockets.target.wants/systemd-journal-remote.socket
