#!/usr/bin/env bash
test "$(stat -c %a usr/sbin/auditctl)" = 755
