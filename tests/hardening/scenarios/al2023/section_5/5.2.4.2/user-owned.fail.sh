#!/usr/bin/env bash
chown 1000 var/log/audit/audit.log
