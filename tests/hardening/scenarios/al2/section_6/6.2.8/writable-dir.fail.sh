#!/usr/bin/env bash
# Trap: a group-writable directory in sudo's secure_path.
mkdir -p opt/tools/bin
chmod 0775 opt/tools/bin
printf 'Defaults    secure_path = /sbin:/bin:/usr/sbin:/usr/bin:/opt/tools/bin\n' >> etc/sudoers
