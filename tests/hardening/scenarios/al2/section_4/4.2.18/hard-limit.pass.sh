#!/usr/bin/env bash
sed -i '1i MaxStartups 10' etc/ssh/sshd_config
