#!/usr/bin/env bash
# Trap: group-readable is only allowed for group ssh_keys, not for adm.
chgrp 4 etc/ssh/ssh_host_ed25519_key
chmod 0640 etc/ssh/ssh_host_ed25519_key
