#!/usr/bin/env bash
# Trap: every rule but the last one is there.
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve -k user_emulation
EOF
