#!/usr/bin/env bash
# Trap: the service is masked, but the socket still activates rpcbind.
printf '#!/bin/sh\n' > usr/bin/rpcbind
printf '[Unit]\nDescription=rpcbind (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/rpcbind.service
printf '[Socket]\nListenStream=111\n\n[Install]\nWantedBy=sockets.target\n' > usr/lib/systemd/system/rpcbind.socket
ln -s /dev/null etc/systemd/system/rpcbind.service
mkdir -p etc/systemd/system/sockets.target.wants
ln -s /usr/lib/systemd/system/rpcbind.socket etc/systemd/system/sockets.target.wants/rpcbind.socket
