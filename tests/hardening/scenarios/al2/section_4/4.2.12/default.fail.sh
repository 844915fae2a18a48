#!/usr/bin/env bash
# Trap: no KexAlgorithms line; OpenSSH 7.4's compiled-in list includes weak ones.
true
