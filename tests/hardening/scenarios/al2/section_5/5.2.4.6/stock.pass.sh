#!/usr/bin/env bash
test "$(stat -c %u etc/audit/auditd.conf)" = 0
