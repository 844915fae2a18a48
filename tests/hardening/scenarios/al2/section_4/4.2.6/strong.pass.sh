#!/usr/bin/env bash
sed -i '1i Ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr' etc/ssh/sshd_config
