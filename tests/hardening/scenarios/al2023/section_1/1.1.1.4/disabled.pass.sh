#!/usr/bin/env bash
printf 'install freevxfs /bin/false\nblacklist freevxfs\n' > etc/modprobe.d/freevxfs.conf
