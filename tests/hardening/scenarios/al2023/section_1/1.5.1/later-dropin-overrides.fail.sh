#!/usr/bin/env bash
# Trap: a later drop-in turns ASLR off.
printf 'kernel.randomize_va_space = 2\n' > etc/sysctl.d/60-aslr.conf
printf 'kernel.randomize_va_space = 0\n' > etc/sysctl.d/90-debug.conf
