#!/usr/bin/env bash
# apply: deferred
# xorg-x11-server-common installed (a file it owns is present); removing it needs dnf on a running system.
mkdir -p usr/lib/xorg
printf 'fixture\n' > usr/lib/xorg/protocol.txt
