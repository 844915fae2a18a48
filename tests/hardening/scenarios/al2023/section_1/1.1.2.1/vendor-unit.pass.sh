#!/usr/bin/env bash
# AL2023 enables systemd's tmp.mount (a tmpfs).
test -L usr/lib/systemd/system/local-fs.target.wants/tmp.mount
