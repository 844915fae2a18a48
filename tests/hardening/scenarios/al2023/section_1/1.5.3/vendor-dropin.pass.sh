#!/usr/bin/env bash
mkdir -p usr/lib/systemd/coredump.conf.d
printf '[Coredump]\nStorage=none\n' > usr/lib/systemd/coredump.conf.d/10-none.conf
