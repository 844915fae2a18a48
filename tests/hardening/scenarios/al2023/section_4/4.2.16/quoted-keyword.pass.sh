#!/usr/bin/env bash
# A quoted keyword and value are what sshd reads as MaxAuthTries 3.
printf '"MaxAuthTries" "3"\n' > etc/ssh/sshd_config.d/20-site.conf
