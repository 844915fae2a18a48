#!/usr/bin/env bash
printf 'net.ipv4.icmp_echo_ignore_broadcasts = 1\n' > etc/sysctl.d/60-cis-net.conf
