#!/usr/bin/env bash
# Trap: set to 1 early, but a later file sets it back.
printf 'kernel.yama.ptrace_scope = 1\n' > etc/sysctl.d/20-ptrace.conf
printf 'kernel.yama.ptrace_scope=0\n' > etc/sysctl.d/90-debug.conf
