#!/usr/bin/env bash
printf 'install freevxfs /bin/true\nblacklist freevxfs\n' > etc/modprobe.d/freevxfs.conf
