#!/usr/bin/env bash
# expect: excepted
# ip-family: ipv6
true
