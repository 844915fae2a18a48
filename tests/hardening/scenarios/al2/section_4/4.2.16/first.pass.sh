#!/usr/bin/env bash
sed -i '1i MaxAuthTries 4' etc/ssh/sshd_config
