#!/usr/bin/env bash
chmod 0644 etc/ssh/sshd_config
