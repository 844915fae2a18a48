#!/usr/bin/env bash
# EC2 instances have no wireless interfaces (only eth*).
mkdir -p sys/class/net/eth0/device
