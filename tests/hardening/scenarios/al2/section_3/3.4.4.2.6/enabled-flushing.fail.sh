#!/usr/bin/env bash
# Trap: enabled, but `systemctl stop/reload iptables` would flush kube-proxy's chains.
mkdir -p etc/systemd/system/basic.target.wants etc/systemd/system/iptables.service.d
ln -s /usr/lib/systemd/system/iptables.service etc/systemd/system/basic.target.wants/iptables.service
