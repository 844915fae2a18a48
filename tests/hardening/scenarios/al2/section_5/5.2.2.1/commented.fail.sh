#!/usr/bin/env bash
sed -i 's/^max_log_file = /# max_log_file = /' etc/audit/auditd.conf
