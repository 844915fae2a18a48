#!/usr/bin/env bash
# Stock EKS node: samba is not installed.
true
