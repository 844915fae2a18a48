#!/usr/bin/env bash
sed -i '1i PermitUserEnvironment no' etc/ssh/sshd_config
