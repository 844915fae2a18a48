#!/usr/bin/env bash
# Trap: nftables.service is enabled through basic.target, not multi-user.target.
printf '[Unit]\nDescription=nftables\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/nftables.service
mkdir -p etc/systemd/system/basic.target.wants
ln -s /usr/lib/systemd/system/nftables.service etc/systemd/system/basic.target.wants/nftables.service
