#!/usr/bin/env bash
# AL2 ships systemd's tmp.mount but nothing pulls it in: /tmp is on the root volume.
test -f usr/lib/systemd/system/tmp.mount
test ! -e etc/systemd/system/local-fs.target.wants/tmp.mount
