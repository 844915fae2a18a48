#!/usr/bin/env bash
# Trap: on OpenSSH 7.4 LogLevel is not allowed in a Match block (8.x allows it): sshd refuses the configuration.
sed -i '1i LogLevel INFO' etc/ssh/sshd_config
printf 'Match User deploy\n    LogLevel INFO\n' >> etc/ssh/sshd_config
