#!/usr/bin/env bash
printf 'install cramfs /bin/false\nblacklist cramfs\n' > usr/lib/modprobe.d/cramfs.conf
