#!/usr/bin/env bash
# Trap: 0640 is only allowed with group ssh_keys.
chmod 0640 etc/ssh/ssh_host_ed25519_key
