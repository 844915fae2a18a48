#!/usr/bin/env bash
printf 'tmpfs /dev/shm tmpfs defaults,nodev,nosuid 0 0\n' >> etc/fstab
