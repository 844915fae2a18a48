#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install rds /bin/false\n#blacklist rds\n' > etc/modprobe.d/rds.conf
