#!/usr/bin/env bash
# Trap: one weak algorithm in the middle of an otherwise strong list.
sed -i '1i Ciphers aes256-ctr,aes128-cbc,aes128-ctr' etc/ssh/sshd_config
