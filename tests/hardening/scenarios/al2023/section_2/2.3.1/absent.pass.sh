#!/usr/bin/env bash
# Stock EKS node: telnet is not installed.
true
