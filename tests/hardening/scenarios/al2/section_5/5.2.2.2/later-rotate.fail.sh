#!/usr/bin/env bash
# Trap: keep_logs early in the file, ROTATE later wins.
sed -i '1i max_log_file_action = keep_logs' etc/audit/auditd.conf
