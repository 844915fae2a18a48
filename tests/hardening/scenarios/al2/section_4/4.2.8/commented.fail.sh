#!/usr/bin/env bash
# Trap: the compliant line is commented out, so the compiled-in default applies.
sed -i '1i #DisableForwarding yes' etc/ssh/sshd_config
