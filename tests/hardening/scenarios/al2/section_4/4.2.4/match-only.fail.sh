#!/usr/bin/env bash
# Trap: DenyUsers only inside a Match block does not limit everyone.
printf "Match Address 10.0.0.0/8\n    DenyUsers guest\n" >> etc/ssh/sshd_config
