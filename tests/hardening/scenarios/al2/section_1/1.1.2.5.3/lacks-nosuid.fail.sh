#!/usr/bin/env bash
printf 'UUID=6d1c0b7e-2a44-4f0e-8c61-0d9b3e5a7f21 /var/tmp xfs defaults,nodev,noexec 0 2\n' >> etc/fstab
