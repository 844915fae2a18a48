#!/usr/bin/env bash
sed -i '1i LoginGraceTime 60' etc/ssh/sshd_config
