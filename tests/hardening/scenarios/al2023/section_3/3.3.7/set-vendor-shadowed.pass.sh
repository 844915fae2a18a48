#!/usr/bin/env bash
printf 'net.ipv4.conf.all.rp_filter = 1\nnet.ipv4.conf.default.rp_filter = 1\n' > etc/sysctl.d/60-cis-net.conf
sed 's/^net.ipv4.conf.default.rp_filter = 2$/# &/' usr/lib/sysctl.d/50-default.conf > etc/sysctl.d/50-default.conf
