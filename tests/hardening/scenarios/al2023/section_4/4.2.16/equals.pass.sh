#!/usr/bin/env bash
# Keyword=value (and any case) is the same setting for sshd.
printf 'maxauthtries=3\n' > etc/ssh/sshd_config.d/20-site.conf
