#!/usr/bin/env bash
# Trap: enabled, but masked in /etc (the mask wins).
ln -s /dev/null etc/systemd/system/crond.service
