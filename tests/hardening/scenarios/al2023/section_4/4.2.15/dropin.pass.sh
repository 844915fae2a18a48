#!/usr/bin/env bash
printf 'Banner /etc/issue.net\n' > etc/ssh/sshd_config.d/20-site.conf
