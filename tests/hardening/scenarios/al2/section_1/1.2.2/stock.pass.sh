#!/usr/bin/env bash
# yum.conf gpgcheck=1 and every AL2 repository gpgcheck=1.
grep -q '^gpgcheck=1' etc/yum.conf
