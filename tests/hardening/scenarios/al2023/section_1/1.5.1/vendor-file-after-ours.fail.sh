#!/usr/bin/env bash
# Trap: a vendor file that sorts after our drop-in; apply must shadow it from /etc.
printf 'kernel.randomize_va_space = 0\n' > usr/lib/sysctl.d/99-zzzz-vendor.conf
