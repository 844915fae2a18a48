#!/usr/bin/env bash
printf "ClientAliveInterval 15\nClientAliveCountMax 3\n" > etc/ssh/sshd_config.d/20-site.conf
printf "Match Group admins\n    ClientAliveInterval 0\n" >> etc/ssh/sshd_config
