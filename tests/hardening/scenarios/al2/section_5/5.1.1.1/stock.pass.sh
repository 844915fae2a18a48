#!/usr/bin/env bash
# The AL2 EKS AMI ships rsyslog.
test -x usr/sbin/rsyslogd
