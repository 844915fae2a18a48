#!/usr/bin/env bash
sed -i 's/^max_log_file_action = ROTATE/max_log_file_action = KEEP_LOGS/; s/^admin_space_left_action = SUSPEND/admin_space_left_action = rotate/; s/^disk_full_action = SUSPEND/disk_full_action = ROTATE/' etc/audit/auditd.conf
