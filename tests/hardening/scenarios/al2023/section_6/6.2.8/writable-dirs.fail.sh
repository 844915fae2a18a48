#!/usr/bin/env bash
# shellcheck disable=SC2016  # literal $ in file content
# root's ~/.local/bin and ~/bin exist, private.
mkdir -p root/.local/bin root/bin
chmod 0700 root/.local root/.local/bin root/bin

# Trap: a profile.d snippet adds a world-writable tools directory and /tmp to everyone's PATH.
mkdir -p opt/tools/bin
chmod 0777 opt/tools/bin
printf 'pathmunge /opt/tools/bin after\nPATH="$PATH:/tmp"\n' > etc/profile.d/tools.sh
