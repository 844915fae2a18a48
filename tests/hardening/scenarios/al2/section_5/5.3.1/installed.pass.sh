#!/usr/bin/env bash
printf x > usr/sbin/aide
chmod 0755 usr/sbin/aide
mkdir -p var/lib/aide
printf x > var/lib/aide/aide.db.gz
