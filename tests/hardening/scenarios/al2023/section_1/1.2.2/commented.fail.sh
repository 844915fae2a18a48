#!/usr/bin/env bash
# Trap: commented out means dnf's default (off).
sed -i 's/^gpgcheck=True/#gpgcheck=True/' etc/dnf/dnf.conf
