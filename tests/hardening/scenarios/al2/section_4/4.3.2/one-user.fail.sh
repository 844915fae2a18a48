#!/usr/bin/env bash
# Trap: use_pty only for one user is not global.
printf "Defaults:ec2-user use_pty\n" > etc/sudoers.d/10-pty
