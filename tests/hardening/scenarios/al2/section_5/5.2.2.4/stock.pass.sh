#!/usr/bin/env bash
# expect: excepted
grep -q "^admin_space_left_action = SUSPEND" etc/audit/auditd.conf
