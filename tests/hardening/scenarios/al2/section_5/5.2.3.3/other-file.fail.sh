#!/usr/bin/env bash
# Trap: a watch on the CIS example path, but sudo logs to another file.
printf 'Defaults logfile=/var/log/sudo-io.log\n' >> etc/sudoers
printf -- '-w /var/log/sudo.log -p wa -k sudo_log_file\n' > etc/audit/rules.d/50-sudo.rules
