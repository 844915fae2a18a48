#!/usr/bin/env bash
# Trap: Banner names a file that does not exist.
printf "Banner /etc/ssh/banner-missing\n" > etc/ssh/sshd_config.d/20-site.conf
