#!/usr/bin/env bash
printf 'tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0\n' >> etc/fstab
