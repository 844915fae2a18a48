#!/usr/bin/env bash
# Trap: the enablement link is there but the unit is masked.
ln -s /dev/null etc/systemd/system/chronyd.service
