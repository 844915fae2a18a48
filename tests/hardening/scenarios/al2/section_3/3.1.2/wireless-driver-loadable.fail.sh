#!/usr/bin/env bash
# A wireless interface (as sysfs shows it) whose driver nothing stops loading.
mkdir -p sys/class/net/wlan0/wireless sys/class/net/wlan0/device/driver sys/module/iwlwifi
ln -s ../../../../../module/iwlwifi sys/class/net/wlan0/device/driver/module
