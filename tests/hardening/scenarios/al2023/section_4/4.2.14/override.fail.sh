#!/usr/bin/env bash
# Trap: the opt-out line, uncommented.
sed -i "s/^# CRYPTO_POLICY=/CRYPTO_POLICY=/" etc/sysconfig/sshd
