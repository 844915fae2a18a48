#!/usr/bin/env bash
printf 'install dccp /bin/false\nblacklist dccp\n' > etc/modprobe.d/dccp.conf
