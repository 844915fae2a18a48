#!/usr/bin/env bash
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/nftables.service etc/systemd/system/multi-user.target.wants/nftables.service
printf '[Unit]\nDescription=firewalld\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/firewalld.service
ln -s /usr/lib/systemd/system/firewalld.service etc/systemd/system/multi-user.target.wants/firewalld.service
