#!/usr/bin/env bash
test "$(stat -c %a etc/ssh/sshd_config)" = 600
