#!/usr/bin/env bash
test "$(stat -c %u usr/sbin/ausearch)" = 0
