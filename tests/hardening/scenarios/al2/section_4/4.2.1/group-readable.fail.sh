#!/usr/bin/env bash
chmod 0640 etc/ssh/sshd_config
chgrp 4 etc/ssh/sshd_config
