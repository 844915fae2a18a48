#!/usr/bin/env bash
# The EKS AMI's saved table only sets ACCEPT policies.
grep -q '^:INPUT ACCEPT' etc/sysconfig/iptables
