#!/usr/bin/env bash
# Trap: sshd takes the first value; 10-vendor.conf sorts before 20-site.conf.
printf 'MaxStartups 10:30:100\n' > etc/ssh/sshd_config.d/10-vendor.conf
printf 'MaxStartups 10:30:60\n' > etc/ssh/sshd_config.d/20-site.conf
