#!/usr/bin/env bash
test "$(stat -c %a var/log/audit)" = 700
