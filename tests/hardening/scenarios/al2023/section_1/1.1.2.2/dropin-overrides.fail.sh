#!/usr/bin/env bash
# Trap: an admin drop-in replaces Options= and drops nodev.
mkdir -p etc/systemd/system/tmp.mount.d
printf '[Mount]\nOptions=mode=1777,strictatime,size=2G\n' > etc/systemd/system/tmp.mount.d/size.conf
