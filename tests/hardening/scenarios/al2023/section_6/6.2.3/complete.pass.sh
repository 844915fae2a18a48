#!/usr/bin/env bash
# The primary groups of every account exist (as on a stock node).
grep -q '^ec2-instance-connect:x:995:' etc/group
