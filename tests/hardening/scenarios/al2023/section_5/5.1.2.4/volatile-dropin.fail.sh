#!/usr/bin/env bash
# Trap: the main file says persistent, a vendor drop-in says volatile (drop-ins win).
sed -i 's/^#Storage=auto/Storage=persistent/' etc/systemd/journald.conf
mkdir -p usr/lib/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\n' > usr/lib/systemd/journald.conf.d/50-volatile.conf
