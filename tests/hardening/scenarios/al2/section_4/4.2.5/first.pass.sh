#!/usr/bin/env bash
sed -i '1i Banner /etc/issue.net' etc/ssh/sshd_config
