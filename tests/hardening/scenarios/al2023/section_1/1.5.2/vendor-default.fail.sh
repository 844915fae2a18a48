#!/usr/bin/env bash
# Fedora-family /usr/lib/sysctl.d/10-default-yama-scope.conf sets 0.
true
