#!/usr/bin/env bash
# Login records may be 0664 root:utmp-or-root, journals root:systemd-journal, the rest 0640 root:adm.
chmod 640 var/log/dnf.log
chgrp 190 var/log/journal/ec2fbd5cb62dd2e4bdb7a7f3a4b6a1f4/system.journal
chgrp 4 var/log/cloud-init.log
