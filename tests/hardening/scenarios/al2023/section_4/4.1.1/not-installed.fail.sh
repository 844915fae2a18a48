#!/usr/bin/env bash
# apply: deferred
rm usr/sbin/crond etc/systemd/system/multi-user.target.wants/crond.service
