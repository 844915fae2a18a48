#!/usr/bin/env bash
test "$(stat -c %g usr/sbin/aureport)" = 0
