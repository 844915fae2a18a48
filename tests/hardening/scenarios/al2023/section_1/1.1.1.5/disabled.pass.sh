#!/usr/bin/env bash
printf 'install jffs2 /bin/false\nblacklist jffs2\n' > etc/modprobe.d/jffs2.conf
