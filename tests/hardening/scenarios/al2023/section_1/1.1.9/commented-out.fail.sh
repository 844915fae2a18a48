#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install usb-storage /bin/false\n#blacklist usb-storage\n' > etc/modprobe.d/usb-storage.conf
