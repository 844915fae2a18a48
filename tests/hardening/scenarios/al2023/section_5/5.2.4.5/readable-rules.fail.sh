#!/usr/bin/env bash
printf '%s\n' "-w /etc/hosts -p wa -k hosts" > etc/audit/rules.d/60-hosts.rules
chmod 644 etc/audit/rules.d/60-hosts.rules
