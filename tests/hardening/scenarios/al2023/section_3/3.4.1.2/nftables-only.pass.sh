#!/usr/bin/env bash
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/nftables.service etc/systemd/system/multi-user.target.wants/nftables.service
