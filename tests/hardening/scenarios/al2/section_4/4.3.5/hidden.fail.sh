#!/usr/bin/env bash
# Trap: hidden in the middle of an option list, for one user.
printf "Defaults:ec2-user env_reset, !authenticate, !lecture\n" > etc/sudoers.d/10-noauth
