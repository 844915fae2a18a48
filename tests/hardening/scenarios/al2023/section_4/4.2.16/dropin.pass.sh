#!/usr/bin/env bash
printf 'MaxAuthTries 4\n' > etc/ssh/sshd_config.d/20-site.conf
