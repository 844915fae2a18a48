#!/usr/bin/env bash
# Trap: the settings are there but commented out.
printf 'net.ipv4.conf.all.log_martians = 1\nnet.ipv4.conf.default.log_martians = 1\n' | sed 's/^/# /' > etc/sysctl.d/60-cis-net.conf
