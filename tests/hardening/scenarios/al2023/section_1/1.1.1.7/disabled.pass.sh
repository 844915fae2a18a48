#!/usr/bin/env bash
printf 'install hfsplus /bin/false\nblacklist hfsplus\n' > etc/modprobe.d/hfsplus.conf
