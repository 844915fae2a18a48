#!/usr/bin/env bash
# Trap: every rule but the last one is there.
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts
EOF
