#!/usr/bin/env bash
# Trap: kmod keeps the first install line; an earlier file loads the module anyway.
printf 'install squashfs /sbin/modprobe --ignore-install squashfs\n' > etc/modprobe.d/00-local.conf
printf 'install squashfs /bin/false\nblacklist squashfs\n' > etc/modprobe.d/CIS.conf
