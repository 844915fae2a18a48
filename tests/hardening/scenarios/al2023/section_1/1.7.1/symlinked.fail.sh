#!/usr/bin/env bash
# Trap: /etc/motd is an absolute symlink; it must be followed inside the root.
mkdir -p usr/share/motd
printf 'Welcome to Amazon Linux\n' > usr/share/motd/amzn
rm etc/motd
ln -s /usr/share/motd/amzn etc/motd
