#!/usr/bin/env bash
# Trap: the settings are there but commented out.
printf 'net.ipv6.conf.all.accept_ra = 0\nnet.ipv6.conf.default.accept_ra = 0\n' | sed 's/^/# /' > etc/sysctl.d/60-cis-net.conf
