#!/usr/bin/env bash
# Trap: sshd takes the first value; the strong list at the end is never read.
sed -i '1i KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha1,ecdh-sha2-nistp256' etc/ssh/sshd_config
printf 'KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256\n' >> etc/ssh/sshd_config
