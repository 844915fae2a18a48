#!/usr/bin/env bash
# Trap: kmod keeps the first install line; an earlier file loads the module anyway.
printf 'install freevxfs /sbin/modprobe --ignore-install freevxfs\n' > etc/modprobe.d/00-local.conf
printf 'install freevxfs /bin/false\nblacklist freevxfs\n' > etc/modprobe.d/CIS.conf
