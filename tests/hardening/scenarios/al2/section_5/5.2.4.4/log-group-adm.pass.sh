#!/usr/bin/env bash
sed -i 's/^log_group = root/log_group = adm/' etc/audit/auditd.conf
chgrp 4 var/log/audit/audit.log
