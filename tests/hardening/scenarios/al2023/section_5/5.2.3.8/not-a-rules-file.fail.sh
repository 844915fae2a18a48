#!/usr/bin/env bash
# Trap: augenrules reads only *.rules: a backup copy is not loaded.
printf '%s\n' "-w /etc/group -p wa -k identity" "-w /etc/passwd -p wa -k identity" "-w /etc/gshadow -p wa -k identity" \
  "-w /etc/shadow -p wa -k identity" "-w /etc/security/opasswd -p wa -k identity" > etc/audit/rules.d/50-identity.rules.bak
