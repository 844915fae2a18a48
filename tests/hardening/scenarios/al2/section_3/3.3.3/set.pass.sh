#!/usr/bin/env bash
printf 'net.ipv4.icmp_ignore_bogus_error_responses = 1\n' > etc/sysctl.d/60-cis-net.conf
