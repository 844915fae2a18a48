#!/usr/bin/env bash
# The slash form of the key, in a same-named file that shadows the vendor's ptrace_scope = 0.
printf 'kernel/yama/ptrace_scope = 1\n' > etc/sysctl.d/10-default-yama-scope.conf
