#!/usr/bin/env bash
# Trap: sshd takes the first value; the strong list at the end is never read.
sed -i '1i Ciphers aes256-ctr,aes128-cbc,aes128-ctr' etc/ssh/sshd_config
printf 'Ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr\n' >> etc/ssh/sshd_config
