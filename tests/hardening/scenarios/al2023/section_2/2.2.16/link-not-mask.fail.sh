#!/usr/bin/env bash
# Trap: a link in /etc that looks like a mask but points at the unit itself.
printf '#!/bin/sh\n' > usr/sbin/rpc.nfsd
printf '[Unit]\nDescription=nfs-server (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/nfs-server.service
ln -s /usr/lib/systemd/system/nfs-server.service etc/systemd/system/nfs-server.service
