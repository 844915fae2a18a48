#!/usr/bin/env bash
# As on a stock AL2 node: 0644 root:root.
cp -p etc/group etc/group-
chmod 0644 etc/group-
