#!/usr/bin/env bash
test "$(stat -c %a var/log/messages)" = 600
