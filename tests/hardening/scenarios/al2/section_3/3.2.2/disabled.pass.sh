#!/usr/bin/env bash
printf 'install tipc /bin/false\nblacklist tipc\n' > etc/modprobe.d/tipc.conf
