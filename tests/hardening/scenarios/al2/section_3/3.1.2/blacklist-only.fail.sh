#!/usr/bin/env bash
# Trap: the driver is blacklisted, which stops auto-loading but not `modprobe iwlwifi`.
mkdir -p sys/class/net/wlan0/wireless sys/class/net/wlan0/device/driver sys/module/iwlwifi
ln -s ../../../../../module/iwlwifi sys/class/net/wlan0/device/driver/module
printf 'blacklist iwlwifi\n' > etc/modprobe.d/wifi.conf
