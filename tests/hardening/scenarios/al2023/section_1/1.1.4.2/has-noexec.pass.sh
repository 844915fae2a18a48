#!/usr/bin/env bash
printf 'UUID=0f3c8a2b1-1111-4c6e-9d2a-3f5e6a7b8c9d /var/tmp xfs defaults,noexec,nosuid,nodev 0 2\n' >> etc/fstab
