#!/usr/bin/env bash
# Trap: the lines are there but commented out.
printf '# install jffs2 /bin/false\n#blacklist jffs2\n' > etc/modprobe.d/jffs2.conf
