#!/usr/bin/env bash
printf 'install squashfs /bin/false\nblacklist squashfs\n' > etc/modprobe.d/squashfs.conf
