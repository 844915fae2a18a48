#!/usr/bin/env bash
sed -i 's/^max_log_file = 8$/#max_log_file = 8/' etc/audit/auditd.conf
