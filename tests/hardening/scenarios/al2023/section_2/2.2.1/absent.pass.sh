#!/usr/bin/env bash
# Stock EKS node: xorg-x11-server-common is not installed.
true
