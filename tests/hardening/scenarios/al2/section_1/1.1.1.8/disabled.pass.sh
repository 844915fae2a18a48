#!/usr/bin/env bash
printf 'install usb-storage /bin/true\nblacklist usb-storage\n' > etc/modprobe.d/usb-storage.conf
