#!/usr/bin/env bash
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-a always,exit -F path=/usr/sbin/usermod -F perm=x -F auid>=1000 -F auid!=unset -k usermod
EOF
