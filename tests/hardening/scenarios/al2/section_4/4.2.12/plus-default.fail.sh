#!/usr/bin/env bash
# Trap: a leading + appends to the compiled-in list, weak ones included.
sed -i '1i KexAlgorithms +curve25519-sha256' etc/ssh/sshd_config
