#!/usr/bin/env bash
# expect: excepted
# Stock SUSPEND actions: excepted on EKS, and apply must leave them alone.
grep -q "^disk_full_action = SUSPEND" etc/audit/auditd.conf
