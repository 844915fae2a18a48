#!/usr/bin/env bash
mkdir -p sys/class/net/wlan0/wireless sys/class/net/wlan0/device/driver sys/module/iwlwifi
ln -s ../../../../../module/iwlwifi sys/class/net/wlan0/device/driver/module
printf 'install iwlwifi /bin/false\nblacklist iwlwifi\n' > etc/modprobe.d/wifi.conf
