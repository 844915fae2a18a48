#!/usr/bin/env bash
# Trap: fstab has every option, but a drop-in for tmp.mount replaces them.
printf 'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0\n' >> etc/fstab
mkdir -p etc/systemd/system/tmp.mount.d
printf '[Mount]\nOptions=mode=1777\n' > etc/systemd/system/tmp.mount.d/50-local.conf
