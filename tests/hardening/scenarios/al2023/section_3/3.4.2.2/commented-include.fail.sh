#!/usr/bin/env bash
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/nftables.service etc/systemd/system/multi-user.target.wants/nftables.service
# Trap: the stock configuration only has a commented include.
grep -q '^#include' etc/sysconfig/nftables.conf
