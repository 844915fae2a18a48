#!/usr/bin/env bash
# As on a stock AL2 node: 0000 root:root.
chmod 0000 etc/gshadow
