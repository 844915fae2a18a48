#!/usr/bin/env bash
# Trap: a later definition wins in login.defs.
printf 'ENCRYPT_METHOD MD5\n' >> etc/login.defs
