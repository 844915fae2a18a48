#!/usr/bin/env bash
# The EKS AMI restores /etc/sysconfig/iptables with iptables-restore.service; nothing else is enabled.
test -L etc/systemd/system/multi-user.target.wants/iptables-restore.service
