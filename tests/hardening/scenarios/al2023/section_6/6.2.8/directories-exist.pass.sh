#!/usr/bin/env bash
# root's ~/.local/bin and ~/bin exist, private.
mkdir -p root/.local/bin root/bin
chmod 0700 root/.local root/.local/bin root/bin
