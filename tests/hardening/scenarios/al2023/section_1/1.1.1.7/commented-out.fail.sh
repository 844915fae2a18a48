#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install hfsplus /bin/false\n#blacklist hfsplus\n' > etc/modprobe.d/hfsplus.conf
