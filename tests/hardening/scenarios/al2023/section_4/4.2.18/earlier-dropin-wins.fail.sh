#!/usr/bin/env bash
# Trap: sshd takes the first value; 10-vendor.conf sorts before 20-site.conf.
printf 'MaxSessions 20\n' > etc/ssh/sshd_config.d/10-vendor.conf
printf 'MaxSessions 10\n' > etc/ssh/sshd_config.d/20-site.conf
