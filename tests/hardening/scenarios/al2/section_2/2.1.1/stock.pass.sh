#!/usr/bin/env bash
# AL2 EKS nodes run chronyd.
test -L etc/systemd/system/multi-user.target.wants/chronyd.service
