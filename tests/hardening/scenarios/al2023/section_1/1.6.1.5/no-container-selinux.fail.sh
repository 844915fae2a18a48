#!/usr/bin/env bash
# apply: deferred
# Trap: enforcing without container-selinux would leave pods unlabelled.
sed -i 's/^SELINUX=permissive/SELINUX=enforcing/' etc/selinux/config
