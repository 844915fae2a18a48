#!/usr/bin/env bash
sed -i '/^SELINUXTYPE=/d' etc/selinux/config
