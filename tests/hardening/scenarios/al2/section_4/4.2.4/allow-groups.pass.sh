#!/usr/bin/env bash
sed -i '1i AllowGroups wheel' etc/ssh/sshd_config
