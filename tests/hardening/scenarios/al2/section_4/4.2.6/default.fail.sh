#!/usr/bin/env bash
# Trap: no Ciphers line; OpenSSH 7.4's compiled-in list includes weak ones.
true
