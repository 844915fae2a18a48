#!/usr/bin/env bash
printf '[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=mode=1777,nosuid,nodev,noexec\n' > etc/systemd/system/tmp.mount
