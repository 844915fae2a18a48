#!/usr/bin/env bash
# AL2's systemd sets all/default rp_filter = 1 in /usr/lib/sysctl.d/50-default.conf.
grep -q '^net.ipv4.conf.all.rp_filter = 1' usr/lib/sysctl.d/50-default.conf
