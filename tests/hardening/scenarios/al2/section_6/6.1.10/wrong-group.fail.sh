#!/usr/bin/env bash
# Trap: the mode is right, the group is not (adm can read logs, not account files).
: > etc/security/opasswd
chmod 0600 etc/security/opasswd
chgrp 4 etc/security/opasswd
