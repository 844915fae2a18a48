#!/usr/bin/env bash
: > var/log/audit/audit.log.1
chmod 644 var/log/audit/audit.log.1
