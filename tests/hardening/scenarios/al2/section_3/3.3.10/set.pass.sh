#!/usr/bin/env bash
printf 'net.ipv4.tcp_syncookies = 1\n' > etc/sysctl.d/60-cis-net.conf
