#!/usr/bin/env bash
# Trap: a relative entry (the current directory) in root's PATH, set in root's profile.
# shellcheck disable=SC2016  # written literally into the profile
printf 'PATH=$PATH:.:$HOME/bin\nexport PATH\n' > root/.bash_profile
mkdir -p root/bin
