#!/usr/bin/env bash
printf 'install hfs /bin/true\nblacklist hfs\n' > etc/modprobe.d/hfs.conf
