#!/usr/bin/env bash
# Trap: one weak algorithm in the middle of an otherwise strong list.
sed -i '1i KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha1,ecdh-sha2-nistp256' etc/ssh/sshd_config
