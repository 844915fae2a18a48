#!/usr/bin/env bash
# Trap: enabled, but `systemctl stop/reload ip6tables` would flush kube-proxy's chains.
mkdir -p etc/systemd/system/basic.target.wants etc/systemd/system/ip6tables.service.d
ln -s /usr/lib/systemd/system/ip6tables.service etc/systemd/system/basic.target.wants/ip6tables.service
