#!/usr/bin/env bash
chown 1000:1000 etc/ssh/ssh_host_ecdsa_key.pub
