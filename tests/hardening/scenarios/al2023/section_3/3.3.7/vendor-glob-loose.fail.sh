#!/usr/bin/env bash
# systemd's 50-default.conf sets default=2 explicitly and excludes all from its glob.
grep -q 'net.ipv4.conf.\*.rp_filter = 2' usr/lib/sysctl.d/50-default.conf
