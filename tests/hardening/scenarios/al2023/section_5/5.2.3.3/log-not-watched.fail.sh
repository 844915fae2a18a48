#!/usr/bin/env bash
# Trap: the logfile comes from an included sudoers.d file, and the watch is on another path.
printf 'Defaults logfile="/var/log/sudo.log"\n' > etc/sudoers.d/10-logfile
printf '%s\n' "-w /var/log/sudo -p wa -k sudo_log_file" > etc/audit/rules.d/50-sudo.rules
