#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install squashfs /bin/false\n#blacklist squashfs\n' > etc/modprobe.d/squashfs.conf
