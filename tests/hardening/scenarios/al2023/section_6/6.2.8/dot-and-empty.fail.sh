#!/usr/bin/env bash
# shellcheck disable=SC2016  # literal $ in file content
# root's ~/.local/bin and ~/bin exist, private.
mkdir -p root/.local/bin root/bin
chmod 0700 root/.local root/.local/bin root/bin

# Trap: a trailing '.' in root's profile and an empty element (trailing ':') in sudo's secure_path.
printf 'PATH=$PATH:$HOME/bin:.\nexport PATH\n' >> root/.bash_profile
printf 'Defaults    secure_path = /sbin:/bin:/usr/sbin:/usr/bin:\n' > etc/sudoers.d/10-path
