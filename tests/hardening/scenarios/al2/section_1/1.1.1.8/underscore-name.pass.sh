#!/usr/bin/env bash
# kmod treats - and _ alike: usb_storage disables usb-storage.
printf 'install usb_storage /bin/false\nblacklist usb_storage\n' > etc/modprobe.d/usb.conf
