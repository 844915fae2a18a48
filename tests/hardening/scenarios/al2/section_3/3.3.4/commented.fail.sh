#!/usr/bin/env bash
# Trap: the settings are there but commented out.
printf 'net.ipv4.icmp_echo_ignore_broadcasts = 1\n' | sed 's/^/# /' > etc/sysctl.d/60-cis-net.conf
