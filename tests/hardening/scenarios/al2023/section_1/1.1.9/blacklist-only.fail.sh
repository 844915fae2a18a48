#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe usb-storage` load it.
printf 'blacklist usb-storage\n' > etc/modprobe.d/usb-storage.conf
