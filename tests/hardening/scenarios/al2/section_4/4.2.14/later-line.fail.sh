#!/usr/bin/env bash
# Trap: sshd takes the first value; the compliant line added at the end is never read.
sed -i '1i LogLevel QUIET' etc/ssh/sshd_config
printf 'LogLevel VERBOSE\n' >> etc/ssh/sshd_config
