#!/usr/bin/env bash
# Trap: commented out.
sed -i '1i #AllowGroups wheel' etc/ssh/sshd_config
