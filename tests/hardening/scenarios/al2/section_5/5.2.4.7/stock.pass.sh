#!/usr/bin/env bash
test "$(stat -c %g etc/audit/auditd.conf)" = 0
