#!/usr/bin/env bash
# Trap: the current log is fine, a rotated one is world-readable.
printf x > var/log/audit/audit.log.1
chmod 0644 var/log/audit/audit.log.1
