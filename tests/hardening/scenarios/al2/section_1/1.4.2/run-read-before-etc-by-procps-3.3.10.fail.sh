#!/usr/bin/env bash
# Trap: /etc/sysctl.d/20-ptrace.conf shadows /run/sysctl.d/20-ptrace.conf for systemd-sysctl, but AL2's
# procps-ng 3.3.10 lists /run/sysctl.d before /etc/sysctl.d, so `sysctl --system` applies the /run file's 0.
# Apply comments the /run line out in place and keeps the administrator's /etc file as it is.
shadow=etc/sysctl.d/10-default-yama-scope.conf
printf 'kernel.yama.ptrace_scope = 1\n' > "$shadow"
mkdir -p run/sysctl.d
printf 'kernel.yama.ptrace_scope = 0\nkernel.sysrq = 16\n' > run/sysctl.d/20-ptrace.conf
printf 'kernel.yama.ptrace_scope = 1\n' > etc/sysctl.d/20-ptrace.conf
