#!/usr/bin/env bash
# Trap: an apply was killed while copying the base profile: a stale staging directory is left. It must not block
# later applies, and it must not stay in the root.
mkdir -p etc/authselect/custom/.hardened-eks.staging
cp usr/share/authselect/default/minimal/system-auth etc/authselect/custom/.hardened-eks.staging/
