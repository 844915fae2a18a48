#!/usr/bin/env bash
printf 'Defaults logfile="/var/log/sudo.log"\n' >> etc/sudoers
printf -- '-w /var/log/sudo.log -p wa -k sudo_log_file\n' > etc/audit/rules.d/50-sudo.rules
