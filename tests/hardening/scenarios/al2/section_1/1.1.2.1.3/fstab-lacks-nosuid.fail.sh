#!/usr/bin/env bash
printf 'tmpfs /tmp tmpfs defaults,nodev,noexec 0 0\n' >> etc/fstab
