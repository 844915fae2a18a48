#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install sctp /bin/false\n#blacklist sctp\n' > etc/modprobe.d/sctp.conf
