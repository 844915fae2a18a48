#!/usr/bin/env bash
# apply: deferred
# The EKS AL2023 AMI has no rsyslog: installing it needs dnf on a running system.
true
