#!/usr/bin/env bash
sed -i '1i MaxStartups 10:30:60' etc/ssh/sshd_config
