#!/usr/bin/env bash
grep -q '^SELINUXTYPE=targeted' etc/selinux/config
