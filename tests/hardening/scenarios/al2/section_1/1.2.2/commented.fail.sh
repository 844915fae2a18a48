#!/usr/bin/env bash
# Trap: commented out means yum's default, which is off.
sed -i 's/^gpgcheck=1/#gpgcheck=1/' etc/yum.conf
