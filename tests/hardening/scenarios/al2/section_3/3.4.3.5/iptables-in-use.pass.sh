#!/usr/bin/env bash
# expect: excepted
# iptables is the firewall utility of AL2 EKS nodes (kube-proxy iptables mode); only 3.4.4 applies.
test -L etc/systemd/system/multi-user.target.wants/iptables-restore.service
