#!/usr/bin/env bash
# Trap: a glob with no explicit value for all; "-net.ipv4.conf.all.rp_filter" excludes it from the glob.
printf 'net.ipv4.conf.default.rp_filter = 1\n' > etc/sysctl.d/60-rp.conf
