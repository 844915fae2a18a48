#!/usr/bin/env bash
printf 'install sctp /bin/false\nblacklist sctp\n' > etc/modprobe.d/sctp.conf
