#!/usr/bin/env bash
# apply: deferred
# ftp installed (a file it owns is present); removing it needs dnf on a running system.
mkdir -p usr/bin
printf 'fixture\n' > usr/bin/ftp
