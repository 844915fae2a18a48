#!/usr/bin/env bash
# iptables-services is installed but iptables.service is not enabled.
true
