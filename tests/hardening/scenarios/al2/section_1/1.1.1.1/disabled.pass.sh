#!/usr/bin/env bash
printf 'install cramfs /bin/true\nblacklist cramfs\n' > etc/modprobe.d/cramfs.conf
