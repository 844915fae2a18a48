#!/usr/bin/env bash
# Trap: systemd-sysctl reads /etc/sysctl.conf as 99-sysctl.conf, before 99-zz-yama.conf (1 wins at boot), but
# procps `sysctl --system` reads /etc/sysctl.conf again, last: an administrator's run sets 0.
printf 'kernel.yama.ptrace_scope = 1\n' > etc/sysctl.d/10-default-yama-scope.conf
printf 'kernel.yama.ptrace_scope = 1\n' > etc/sysctl.d/99-zz-yama.conf
printf 'kernel.yama.ptrace_scope = 0\n' >> etc/sysctl.conf
