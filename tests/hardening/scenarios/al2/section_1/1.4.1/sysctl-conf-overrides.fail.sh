#!/usr/bin/env bash
# Trap: /etc/sysctl.conf is read last (99-sysctl.conf links to it) and turns it down.
printf 'kernel.randomize_va_space = 2\n' > etc/sysctl.d/60-kernel.conf
printf 'kernel.randomize_va_space = 1\n' >> etc/sysctl.conf
