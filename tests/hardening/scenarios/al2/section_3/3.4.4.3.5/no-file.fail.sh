#!/usr/bin/env bash
# Stock AL2 EKS node: no saved ip6tables rules at all.
test ! -e etc/sysconfig/ip6tables
