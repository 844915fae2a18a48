#!/usr/bin/env bash
printf "#AllowGroups wheel\n" > etc/ssh/sshd_config.d/10-access.conf
