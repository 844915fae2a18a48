#!/usr/bin/env bash
# Trap: systemd uses the first fstab entry for a mount point; the second has noexec.
printf 'UUID=6d1c0b7e-2a44-4f0e-8c61-0d9b3e5a7f21 /var/log xfs defaults,nodev,nosuid 0 2\nUUID=6d1c0b7e-2a44-4f0e-8c61-0d9b3e5a7f21 /var/log xfs defaults,nodev,nosuid,noexec 0 2\n' >> etc/fstab
