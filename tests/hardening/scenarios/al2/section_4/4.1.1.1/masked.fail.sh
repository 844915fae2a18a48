#!/usr/bin/env bash
# Trap: installed, but the wants link is gone and the unit is masked in /etc.
rm -f etc/systemd/system/multi-user.target.wants/crond.service
ln -s /dev/null etc/systemd/system/crond.service
