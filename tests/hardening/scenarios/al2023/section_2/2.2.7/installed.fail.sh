#!/usr/bin/env bash
# apply: deferred
# tftp-server installed (a file it owns is present); removing it needs dnf on a running system.
mkdir -p usr/sbin
printf 'fixture\n' > usr/sbin/in.tftpd
