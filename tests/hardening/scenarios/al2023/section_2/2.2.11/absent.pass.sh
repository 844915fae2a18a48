#!/usr/bin/env bash
# Stock EKS node: squid is not installed.
true
