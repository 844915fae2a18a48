#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install freevxfs /bin/false\n#blacklist freevxfs\n' > etc/modprobe.d/freevxfs.conf
