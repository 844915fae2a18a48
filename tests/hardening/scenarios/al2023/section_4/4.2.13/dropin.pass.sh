#!/usr/bin/env bash
printf 'AllowTcpForwarding no\n' > etc/ssh/sshd_config.d/20-site.conf
