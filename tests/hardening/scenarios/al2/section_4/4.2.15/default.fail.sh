#!/usr/bin/env bash
# Trap: no MACs line; OpenSSH 7.4's compiled-in list includes weak ones.
true
