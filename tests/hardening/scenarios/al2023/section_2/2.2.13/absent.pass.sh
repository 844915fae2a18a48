#!/usr/bin/env bash
# Stock EKS node: telnet-server is not installed.
true
