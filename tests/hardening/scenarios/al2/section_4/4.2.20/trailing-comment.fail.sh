#!/usr/bin/env bash
# Trap: OpenSSH 7.4 rejects anything after the value ("garbage at end of line"): sshd would not start.
sed -i '1i PermitRootLogin no # root uses sudo' etc/ssh/sshd_config
