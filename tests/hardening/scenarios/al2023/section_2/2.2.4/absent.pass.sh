#!/usr/bin/env bash
# Stock EKS node: dhcp-server is not installed.
true
