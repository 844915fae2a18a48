#!/usr/bin/env bash
test "$(stat -c %a etc/audit/auditd.conf)" = 640
