#!/usr/bin/env bash
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng
EOF
