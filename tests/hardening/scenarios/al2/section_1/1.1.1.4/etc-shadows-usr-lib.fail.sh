#!/usr/bin/env bash
# Trap: /etc/modprobe.d/x.conf shadows the vendor file of the same name that disabled it.
printf 'install hfsplus /bin/false\nblacklist hfsplus\n' > usr/lib/modprobe.d/cis.conf
printf '# local override\n' > etc/modprobe.d/cis.conf
