#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i LoginGraceTime 120' etc/ssh/sshd_config
printf 'LoginGraceTime 60\n' >> etc/ssh/sshd_config
