#!/usr/bin/env bash
sed -i 's/^SELINUXTYPE=targeted/SELINUXTYPE=mls/' etc/selinux/config
