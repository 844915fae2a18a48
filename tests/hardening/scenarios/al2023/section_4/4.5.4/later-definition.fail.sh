#!/usr/bin/env bash
# Trap: the last ENCRYPT_METHOD in login.defs wins.
printf "ENCRYPT_METHOD MD5\n" >> etc/login.defs
