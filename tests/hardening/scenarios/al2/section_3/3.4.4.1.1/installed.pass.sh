#!/usr/bin/env bash
test -f usr/lib/systemd/system/iptables.service
