#!/usr/bin/env bash
rm usr/lib/systemd/system/local-fs.target.wants/tmp.mount usr/lib/systemd/system/tmp.mount
printf 'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0\n' >> etc/fstab
