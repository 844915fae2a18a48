#!/usr/bin/env bash
# As on a stock AL2 node: 0644 root:root.
chmod 0644 etc/group
