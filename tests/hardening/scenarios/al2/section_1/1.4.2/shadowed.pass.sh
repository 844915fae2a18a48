#!/usr/bin/env bash
# A file of the same name in /etc shadows the vendor file.
printf 'kernel.yama.ptrace_scope = 1\n' > etc/sysctl.d/10-default-yama-scope.conf
