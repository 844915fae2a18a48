#!/usr/bin/env bash
sed -i '1i DisableForwarding yes' etc/ssh/sshd_config
