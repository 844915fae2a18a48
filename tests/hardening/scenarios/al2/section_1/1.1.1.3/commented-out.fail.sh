#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install hfs /bin/false\n#blacklist hfs\n' > etc/modprobe.d/hfs.conf
