#!/usr/bin/env bash
printf 'LogLevel VERBOSE\n' > etc/ssh/sshd_config.d/20-site.conf
