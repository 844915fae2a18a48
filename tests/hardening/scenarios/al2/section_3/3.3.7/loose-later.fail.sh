#!/usr/bin/env bash
# Trap: a later drop-in sets loose mode (2) on all, which CIS does not accept.
printf 'net.ipv4.conf.all.rp_filter = 2\n' > etc/sysctl.d/90-loose.conf
