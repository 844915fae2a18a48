#!/usr/bin/env bash
# Trap: the settings are there but commented out.
printf 'net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\n' | sed 's/^/# /' > etc/sysctl.d/60-cis-net.conf
