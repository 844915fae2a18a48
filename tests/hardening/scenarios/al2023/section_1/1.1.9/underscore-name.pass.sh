#!/usr/bin/env bash
# kmod treats - and _ alike in module names.
printf 'install usb_storage /bin/true\nblacklist usb-storage\n' > etc/modprobe.d/usb_storage.conf
