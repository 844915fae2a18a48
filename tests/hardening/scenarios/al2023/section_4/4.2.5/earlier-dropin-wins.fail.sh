#!/usr/bin/env bash
# Trap: sshd takes the first value; 10-vendor.conf sorts before 20-site.conf.
printf 'LogLevel QUIET\n' > etc/ssh/sshd_config.d/10-vendor.conf
printf 'LogLevel VERBOSE\n' > etc/ssh/sshd_config.d/20-site.conf
