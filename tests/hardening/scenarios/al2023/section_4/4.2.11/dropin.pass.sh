#!/usr/bin/env bash
printf 'IgnoreRhosts yes\n' > etc/ssh/sshd_config.d/20-site.conf
