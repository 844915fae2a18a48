#!/usr/bin/env bash
# apply: deferred
rm usr/sbin/iptables
