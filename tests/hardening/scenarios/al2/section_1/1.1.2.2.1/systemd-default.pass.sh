#!/usr/bin/env bash
# systemd mounts /dev/shm as tmpfs itself.
! grep -q /dev/shm etc/fstab
