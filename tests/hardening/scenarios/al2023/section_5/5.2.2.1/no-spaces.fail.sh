#!/usr/bin/env bash
# Trap: auditd needs blanks around "=": `max_log_file=8` makes it reject the file.
sed -i 's/^max_log_file = 8$/max_log_file=8/' etc/audit/auditd.conf
