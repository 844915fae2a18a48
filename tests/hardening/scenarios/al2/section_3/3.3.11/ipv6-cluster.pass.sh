#!/usr/bin/env bash
# expect: excepted
# ip-family: ipv6
# IPv6 clusters learn their default route from router advertisements.
true
