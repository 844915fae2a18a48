#!/usr/bin/env bash
# Trap: the compliant line is commented out, so the compiled-in default applies.
sed -i '1i #MaxStartups 10:30:60' etc/ssh/sshd_config
