#!/usr/bin/env bash
printf 'install hfs /bin/false\nblacklist hfs\n' > etc/modprobe.d/hfs.conf
