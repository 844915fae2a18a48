#!/usr/bin/env bash
sed -i 's/^max_log_file_action = .*/max_log_file_action = keep_logs/' etc/audit/auditd.conf
