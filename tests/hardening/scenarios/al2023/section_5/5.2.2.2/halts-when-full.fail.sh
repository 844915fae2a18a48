#!/usr/bin/env bash
# Trap (a CIS-built image): logs are kept, but a full volume halts the node.
sed -i 's/^max_log_file_action = ROTATE/max_log_file_action = keep_logs/; s/^admin_space_left_action = SUSPEND/admin_space_left_action = halt/' etc/audit/auditd.conf
