#!/usr/bin/env bash
sed -i '1i PermitRootLogin no' etc/ssh/sshd_config
