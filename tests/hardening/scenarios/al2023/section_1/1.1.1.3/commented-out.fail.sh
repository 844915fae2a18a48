#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install cramfs /bin/false\n#blacklist cramfs\n' > etc/modprobe.d/cramfs.conf
