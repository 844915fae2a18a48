#!/usr/bin/env bash
# Trap: the banner file does not exist, so sshd shows nothing.
sed -i '1i Banner /etc/ssh/banner.txt' etc/ssh/sshd_config
