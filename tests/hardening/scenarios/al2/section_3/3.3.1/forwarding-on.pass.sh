#!/usr/bin/env bash
# expect: excepted
# EKS routes pod traffic through the node: excepted, with the evidence (99-kubernetes-cri.conf).
grep -q '^net.ipv4.ip_forward = 1' etc/sysctl.d/99-kubernetes-cri.conf
