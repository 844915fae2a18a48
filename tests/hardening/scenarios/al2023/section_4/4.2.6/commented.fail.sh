#!/usr/bin/env bash
# Trap: the vendor drop-in line is commented out; the compiled-in default is "no".
sed -i "s/^UsePAM yes/#UsePAM yes/" etc/ssh/sshd_config.d/50-redhat.conf
