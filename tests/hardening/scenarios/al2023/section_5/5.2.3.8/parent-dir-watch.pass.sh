#!/usr/bin/env bash
# A watch on /etc/security covers opasswd below it.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-identity.rules "-w /etc/group -p wa -k identity" "-w /etc/passwd -p wa -k identity" "-w /etc/gshadow -p wa -k identity"   "-w /etc/shadow -p wa -k identity" "-w /etc/security -p wa -k identity"
