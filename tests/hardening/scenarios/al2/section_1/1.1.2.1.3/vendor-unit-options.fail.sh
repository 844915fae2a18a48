#!/usr/bin/env bash
# Trap: the enabled vendor tmp.mount mounts with mode=1777,strictatime only.
mkdir -p etc/systemd/system/local-fs.target.wants
ln -s /usr/lib/systemd/system/tmp.mount etc/systemd/system/local-fs.target.wants/tmp.mount
