#!/usr/bin/env bash
# Stock EKS node: dnsmasq is not installed.
true
