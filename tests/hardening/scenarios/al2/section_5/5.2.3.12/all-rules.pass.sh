#!/usr/bin/env bash
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-w /var/log/lastlog -p wa -k logins
-w /var/run/faillock -p wa -k logins
EOF
