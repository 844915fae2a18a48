#!/usr/bin/env bash
printf 'UsePAM yes\n' > etc/ssh/sshd_config.d/20-site.conf
