#!/usr/bin/env bash
# dnf.conf gpgcheck=True, repositories gpgcheck=1.
true
