#!/usr/bin/env bash
# Trap: a stock AL2 root .bash_profile appends $HOME/bin, which does not exist (anyone who creates it later
# decides what root runs). apply creates it, owned by root and private.
grep -qF 'HOME/bin' root/.bash_profile
