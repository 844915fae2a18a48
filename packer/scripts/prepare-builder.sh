#!/bin/bash
# Wait for first boot to finish, then make the build's work folder (outside /tmp, which hardening
# makes noexec), owned by the SSH user so Packer's file provisioner can upload into it.
set -euo pipefail
: "${WORK_DIR:?WORK_DIR is required}" "${BUILD_USER:?BUILD_USER is required}"

if command -v cloud-init >/dev/null 2>&1; then
  cloud-init status --wait >/dev/null || echo "prepare-builder: cloud-init reported errors; continuing" >&2
fi
install -d -m 0700 -o "$BUILD_USER" -g "$(id -gn "$BUILD_USER")" "$WORK_DIR"
echo "prepare-builder: work folder $WORK_DIR ready on $(grep -m1 '^PRETTY_NAME=' /etc/os-release | cut -d= -f2-)"
