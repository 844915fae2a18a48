#!/usr/bin/env bash
sed -i 's/^SELINUX=permissive/SELINUX=disabled/' etc/selinux/config
