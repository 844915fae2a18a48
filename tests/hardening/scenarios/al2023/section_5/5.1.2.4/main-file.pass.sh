#!/usr/bin/env bash
sed -i 's/^#Storage=auto/Storage=persistent/' etc/systemd/journald.conf
