#!/usr/bin/env bash
test "$(stat -c %a etc/issue)" = 644
