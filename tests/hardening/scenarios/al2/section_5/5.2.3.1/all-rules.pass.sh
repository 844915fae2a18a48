#!/usr/bin/env bash
cat > etc/audit/rules.d/50-cis.rules <<'EOF'
-w /etc/sudoers -p wa -k scope
-w /etc/sudoers.d -p wa -k scope
EOF
