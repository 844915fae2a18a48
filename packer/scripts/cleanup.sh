#!/bin/bash
# Leave nothing of the build in the image: the work folder, the temporary SSH key Packer injected,
# host keys and machine identity (regenerated on first boot), cloud-init state and shell history.
set -euo pipefail
: "${WORK_DIR:?WORK_DIR is required}" "${BUILD_USER:?BUILD_USER is required}"

rm -rf "$WORK_DIR"
home=$(getent passwd "$BUILD_USER" | cut -d: -f6)
rm -f "$home/.ssh/authorized_keys" /root/.ssh/authorized_keys "$home/.bash_history" /root/.bash_history
rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
if command -v cloud-init >/dev/null 2>&1; then
  cloud-init clean --logs
fi
truncate -s 0 /etc/machine-id
rm -f /var/lib/dbus/machine-id
echo "cleanup: build traces removed"
