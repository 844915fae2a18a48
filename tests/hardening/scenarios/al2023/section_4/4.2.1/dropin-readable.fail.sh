#!/usr/bin/env bash
# Trap: the main file is fine, an included drop-in is not.
printf "MaxAuthTries 3\n" > etc/ssh/sshd_config.d/40-site.conf; chmod 0644 etc/ssh/sshd_config.d/40-site.conf
