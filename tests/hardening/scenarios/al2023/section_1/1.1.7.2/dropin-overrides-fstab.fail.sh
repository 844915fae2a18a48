#!/usr/bin/env bash
# Trap: a drop-in for the generated mount unit replaces the fstab options.
printf 'UUID=0f3c5a2b1-1111-4c6e-9d2a-3f5e6a7b8c9d /home xfs defaults,nodev,nosuid 0 2\n' >> etc/fstab
unit=$(printf '%s' 'home' | tr / -).mount
mkdir -p "etc/systemd/system/$unit.d"
printf '[Mount]\nOptions=defaults\n' > "etc/systemd/system/$unit.d/50-local.conf"
