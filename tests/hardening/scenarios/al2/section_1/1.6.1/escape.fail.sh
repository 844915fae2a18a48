#!/usr/bin/env bash
# Trap: a regular file, but with a getty escape that prints the kernel release.
rm etc/motd
printf 'Welcome to \\r\n' > etc/motd
