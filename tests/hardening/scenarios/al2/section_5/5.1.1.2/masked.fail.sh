#!/usr/bin/env bash
# Trap: the wants link is gone and the unit is masked in /etc.
rm -f etc/systemd/system/multi-user.target.wants/rsyslog.service
ln -s /dev/null etc/systemd/system/rsyslog.service
