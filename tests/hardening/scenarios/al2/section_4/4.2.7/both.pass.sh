#!/usr/bin/env bash
sed -i '1i ClientAliveInterval 15\nClientAliveCountMax 3' etc/ssh/sshd_config
