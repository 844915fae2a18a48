#!/usr/bin/env bash
sed -i '1i LogLevel VERBOSE' etc/ssh/sshd_config
