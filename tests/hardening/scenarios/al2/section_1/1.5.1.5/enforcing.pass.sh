#!/usr/bin/env bash
sed -i 's/^SELINUX=permissive/SELINUX=enforcing/' etc/selinux/config
mkdir -p usr/share/selinux/packages
printf x > usr/share/selinux/packages/container.pp.bz2
