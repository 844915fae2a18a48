#!/usr/bin/env bash
sed -i '1i MaxSessions 10' etc/ssh/sshd_config
