#!/usr/bin/env bash
# apply: deferred
# Trap: enforcing without container-selinux would deny the pods.
sed -i 's/^SELINUX=permissive/SELINUX=enforcing/' etc/selinux/config
