#!/usr/bin/env bash
test "$(stat -c %u var/log/audit/audit.log)" = 0
