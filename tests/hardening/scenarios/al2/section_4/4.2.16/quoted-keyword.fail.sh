#!/usr/bin/env bash
# Trap: sshd reads a quoted keyword, and this one comes first.
sed -i '1i MaxAuthTries 4' etc/ssh/sshd_config
sed -i '1i "MaxAuthTries" 10' etc/ssh/sshd_config
