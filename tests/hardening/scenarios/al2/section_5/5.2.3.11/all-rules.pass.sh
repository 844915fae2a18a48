#!/usr/bin/env bash
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-w /var/run/utmp -p wa -k session
-w /var/log/wtmp -p wa -k session
-w /var/log/btmp -p wa -k session
EOF
