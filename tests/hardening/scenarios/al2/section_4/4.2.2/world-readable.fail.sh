#!/usr/bin/env bash
chmod 0644 etc/ssh/ssh_host_ecdsa_key
