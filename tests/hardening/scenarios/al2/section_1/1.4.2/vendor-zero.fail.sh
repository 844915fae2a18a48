#!/usr/bin/env bash
# Stock AL2: elfutils-default-yama-scope sets ptrace_scope = 0 in /usr/lib/sysctl.d.
grep -q 'ptrace_scope = 0' usr/lib/sysctl.d/10-default-yama-scope.conf
