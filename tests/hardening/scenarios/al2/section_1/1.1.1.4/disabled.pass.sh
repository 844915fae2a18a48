#!/usr/bin/env bash
printf 'install hfsplus /bin/true\nblacklist hfsplus\n' > etc/modprobe.d/hfsplus.conf
