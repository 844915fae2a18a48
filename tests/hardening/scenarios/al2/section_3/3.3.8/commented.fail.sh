#!/usr/bin/env bash
# Trap: the settings are there but commented out.
printf 'net.ipv4.conf.all.accept_source_route = 0\nnet.ipv4.conf.default.accept_source_route = 0\nnet.ipv6.conf.all.accept_source_route = 0\nnet.ipv6.conf.default.accept_source_route = 0\n' | sed 's/^/# /' > etc/sysctl.d/60-cis-net.conf
