#!/usr/bin/env bash
printf 'PermitUserEnvironment no\n' > etc/ssh/sshd_config.d/20-site.conf
