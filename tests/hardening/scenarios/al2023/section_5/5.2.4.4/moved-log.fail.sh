#!/usr/bin/env bash
# Trap: log_file points elsewhere; that directory is what counts.
mkdir -p var/log/audit2
chmod 755 var/log/audit2
sed -i 's|^log_file = /var/log/audit/audit.log|log_file = /var/log/audit2/audit.log|' etc/audit/auditd.conf
