#!/usr/bin/env bash
# nfs-utils stays for kubelet's NFS mounts; the server is masked.
printf '#!/bin/sh\n' > usr/sbin/rpc.nfsd
printf '[Unit]\nDescription=nfs-server (fixture)\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/nfs-server.service
ln -s /dev/null etc/systemd/system/nfs-server.service
