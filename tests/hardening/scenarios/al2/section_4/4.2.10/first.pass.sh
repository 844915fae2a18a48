#!/usr/bin/env bash
sed -i '1i HostbasedAuthentication no' etc/ssh/sshd_config
