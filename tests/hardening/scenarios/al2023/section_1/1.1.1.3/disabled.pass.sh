#!/usr/bin/env bash
printf 'install cramfs /bin/false\nblacklist cramfs\n' > etc/modprobe.d/cramfs.conf
