#!/usr/bin/env bash
printf 'install squashfs /bin/true\nblacklist squashfs\n' > etc/modprobe.d/squashfs.conf
