#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install dccp /bin/false\n#blacklist dccp\n' > etc/modprobe.d/dccp.conf
