#!/usr/bin/env bash
test "$(stat -c %a var/lib/update-motd/motd)" = 644
