#!/usr/bin/env bash
printf 'install rds /bin/false\nblacklist rds\n' > etc/modprobe.d/rds.conf
