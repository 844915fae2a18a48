#!/usr/bin/env bash
# Trap: one public key is group-writable and owned by another user.
chmod 0664 etc/ssh/ssh_host_rsa_key.pub
chown 1000 etc/ssh/ssh_host_rsa_key.pub
