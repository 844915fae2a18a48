#!/usr/bin/env bash
# Trap: kmod keeps the FIRST install line; an earlier file re-enables cramfs.
printf 'install cramfs /sbin/modprobe --ignore-install cramfs\n' > etc/modprobe.d/00-aaa-local.conf
printf 'install cramfs /bin/false\nblacklist cramfs\n' > etc/modprobe.d/cramfs.conf
