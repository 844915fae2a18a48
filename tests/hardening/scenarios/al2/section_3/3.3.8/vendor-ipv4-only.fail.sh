#!/usr/bin/env bash
# Trap: AL2's 50-default.conf covers the IPv4 keys only; IPv6 source routing is still accepted.
grep -q '^net.ipv4.conf.all.accept_source_route = 0' usr/lib/sysctl.d/50-default.conf
