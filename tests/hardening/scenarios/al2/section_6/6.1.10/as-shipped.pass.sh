#!/usr/bin/env bash
# As on a stock AL2 node: 0600 root:root.
: > etc/security/opasswd
chmod 0600 etc/security/opasswd
