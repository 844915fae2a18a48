#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install udf /bin/false\n#blacklist udf\n' > etc/modprobe.d/udf.conf
