#!/usr/bin/env bash
# Trap: a Match block turns the keepalive off for some users.
sed -i '1i ClientAliveInterval 15\nClientAliveCountMax 3' etc/ssh/sshd_config
printf 'Match Group admins\n    ClientAliveInterval 0\n' >> etc/ssh/sshd_config
