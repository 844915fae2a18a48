#!/usr/bin/env bash
printf 'Defaults logfile=/var/log/sudo.log\n' > etc/sudoers.d/10-logfile
printf '%s\n' "-w /var/log/sudo.log -p wa -k sudo_log_file" > etc/audit/rules.d/50-sudo.rules
