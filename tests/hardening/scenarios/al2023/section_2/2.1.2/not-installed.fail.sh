#!/usr/bin/env bash
# apply: deferred
rm usr/sbin/chronyd etc/chrony.conf
