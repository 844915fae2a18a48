#!/usr/bin/env bash
test -x usr/sbin/iptables
