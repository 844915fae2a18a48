#!/usr/bin/env bash
# Stock: nothing under sysctl.d sets it (the kernel default is not configuration).
! grep -rq randomize_va_space etc/sysctl.d usr/lib/sysctl.d
