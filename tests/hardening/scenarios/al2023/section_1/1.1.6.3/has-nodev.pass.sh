#!/usr/bin/env bash
printf 'UUID=0f3c14a2b1-1111-4c6e-9d2a-3f5e6a7b8c9d /var/log/audit xfs defaults,noexec,nodev,nosuid 0 2\n' >> etc/fstab
