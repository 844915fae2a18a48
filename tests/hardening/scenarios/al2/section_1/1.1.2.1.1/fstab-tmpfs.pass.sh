#!/usr/bin/env bash
printf 'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0\n' >> etc/fstab
