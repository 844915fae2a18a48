#!/usr/bin/env bash
# iptables-services is installed but ip6tables.service is not enabled.
true
