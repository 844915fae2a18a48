#!/usr/bin/env bash
grep -q '^max_log_file = 8' etc/audit/auditd.conf
