#!/usr/bin/env bash
sed -i '1i IgnoreRhosts yes' etc/ssh/sshd_config
