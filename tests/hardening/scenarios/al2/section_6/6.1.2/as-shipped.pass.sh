#!/usr/bin/env bash
# As on a stock AL2 node: 0644 root:root.
cp -p etc/passwd etc/passwd-
chmod 0644 etc/passwd-
