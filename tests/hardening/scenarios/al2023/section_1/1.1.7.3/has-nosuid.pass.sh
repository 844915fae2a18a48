#!/usr/bin/env bash
printf 'UUID=0f3c5a2b1-1111-4c6e-9d2a-3f5e6a7b8c9d /home xfs defaults,nodev,nosuid 0 2\n' >> etc/fstab
