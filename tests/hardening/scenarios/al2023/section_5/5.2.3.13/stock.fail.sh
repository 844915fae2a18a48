#!/usr/bin/env bash
# The stock rules.d has only -D, -b, --backlog_wait_time and -f.
true
