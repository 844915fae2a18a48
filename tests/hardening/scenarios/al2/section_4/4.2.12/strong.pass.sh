#!/usr/bin/env bash
sed -i '1i KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256' etc/ssh/sshd_config
