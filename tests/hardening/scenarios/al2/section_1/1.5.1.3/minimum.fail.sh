#!/usr/bin/env bash
sed -i 's/^SELINUXTYPE=targeted/SELINUXTYPE=minimum/' etc/selinux/config
