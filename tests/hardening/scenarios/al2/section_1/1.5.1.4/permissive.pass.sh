#!/usr/bin/env bash
# AL2 ships permissive.
grep -q '^SELINUX=permissive' etc/selinux/config
