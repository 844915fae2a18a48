#!/usr/bin/env bash
# Stock AL2: /etc/motd links to update-motd's output, which names the platform.
test -L etc/motd
