#!/usr/bin/env bash
# A file left by a deleted user (uid 4242 is not in /etc/passwd).
: > opt/cni/bin/leftover
chown 4242 opt/cni/bin/leftover
