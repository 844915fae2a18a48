#!/usr/bin/env bash
sed -i '1i PermitEmptyPasswords no' etc/ssh/sshd_config
