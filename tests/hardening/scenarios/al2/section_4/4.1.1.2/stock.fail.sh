#!/usr/bin/env bash
# Stock AL2: /etc/crontab is 0644, readable by every user.
test "$(stat -c %a etc/crontab)" = 644
