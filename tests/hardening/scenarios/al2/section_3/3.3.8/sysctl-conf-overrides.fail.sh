#!/usr/bin/env bash
# Trap: /etc/sysctl.conf is read last (AL2 links it as 99-sysctl.conf), after 60-cis-net.conf.
printf 'net.ipv4.conf.all.accept_source_route = 0\nnet.ipv4.conf.default.accept_source_route = 0\nnet.ipv6.conf.all.accept_source_route = 0\nnet.ipv6.conf.default.accept_source_route = 0\n' > etc/sysctl.d/60-cis-net.conf
printf 'net.ipv4.conf.all.accept_source_route = 1\n' >> etc/sysctl.conf
