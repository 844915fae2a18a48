#!/usr/bin/env bash
printf x > var/log/audit/audit.log.2
chmod 0600 var/log/audit/audit.log.2
chown 4321 var/log/audit/audit.log.2
