#!/usr/bin/env bash
# root's ~/bin exists, owned by root and private.
mkdir -p root/bin
chmod 0700 root/bin
