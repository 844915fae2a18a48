#!/usr/bin/env bash
sed -i 's/^GSSAPIAuthentication yes/GSSAPIAuthentication no/' etc/ssh/sshd_config
