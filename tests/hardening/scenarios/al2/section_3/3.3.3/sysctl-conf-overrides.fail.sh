#!/usr/bin/env bash
# Trap: /etc/sysctl.conf is read last (AL2 links it as 99-sysctl.conf), after 60-cis-net.conf.
printf 'net.ipv4.icmp_ignore_bogus_error_responses = 1\n' > etc/sysctl.d/60-cis-net.conf
printf 'net.ipv4.icmp_ignore_bogus_error_responses = 0\n' >> etc/sysctl.conf
