#!/usr/bin/env bash
# apply: deferred
rm usr/sbin/chronyd etc/systemd/system/multi-user.target.wants/chronyd.service
